// Proof of work for the booking form when many bookings came from one connection (see appointments/fairness.py):
// find a number n so that SHA-256("<token>:<n>") starts with the required number of zero bits. The form is sent
// only once the number is found; the server checks it with a single hash.
(function () {
  "use strict";
  var box = document.querySelector("[data-proof-of-work]");
  if (!box || !window.crypto || !window.crypto.subtle || !window.TextEncoder) { return; }
  var form = box.closest("form");
  var token = box.querySelector("[name=pow_token]").value;
  var answer = box.querySelector("[name=pow]");
  var status = document.getElementById("pow-status");
  var bits = parseInt(box.getAttribute("data-bits"), 10);
  var encoder = new TextEncoder();
  var solved = false;
  var submitWhenSolved = false;

  function zeroBits(bytes) {
    var count = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { count += 8; continue; }
      return count + Math.clz32(bytes[i]) - 24;
    }
    return count;
  }

  function search(start) {
    var batch = [];
    for (var n = start; n < start + 256; n++) {
      batch.push(crypto.subtle.digest("SHA-256", encoder.encode(token + ":" + n)));
    }
    return Promise.all(batch).then(function (digests) {
      for (var i = 0; i < digests.length; i++) {
        if (zeroBits(new Uint8Array(digests[i])) >= bits) { return start + i; }
      }
      return search(start + 256);
    });
  }

  status.textContent = status.getAttribute("data-working");
  search(0).then(function (n) {
    answer.value = String(n);
    solved = true;
    status.textContent = status.getAttribute("data-done");
    if (submitWhenSolved) { form.requestSubmit ? form.requestSubmit() : form.submit(); }
  });
  form.addEventListener("submit", function (event) {
    if (!solved) { event.preventDefault(); submitWhenSolved = true; }
  });
})();
