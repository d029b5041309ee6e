// The waiting-room display reloads the list of calls every five seconds; without JavaScript the "Refresh" link does.
(function () {
  "use strict";
  var calls = document.getElementById("calls");
  if (!calls || !window.fetch) { return; }
  var link = document.querySelector("[data-refresh-link]");
  if (link) { link.hidden = true; }
  function refresh() {
    fetch(calls.getAttribute("data-refresh"), { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null && html !== calls.innerHTML) { calls.innerHTML = html; } })
      .catch(function () { /* the next round tries again */ });
  }
  window.setInterval(refresh, 5000);
})();
