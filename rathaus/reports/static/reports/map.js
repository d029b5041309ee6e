/* The Mängelmelder map (Leaflet, from npm): the municipality's outline, reports as circles with a link, and on
   the report form a marker that fills the latitude and longitude fields (and follows them when typed).
   Progressive enhancement: without JavaScript the map stays hidden and the form asks for the street. */
(function () {
  "use strict";

  var container = document.getElementById("report-map");
  if (!container || !window.L) {
    return;
  }
  var config = JSON.parse(document.getElementById(container.getAttribute("data-config")).textContent);
  container.hidden = false;

  var map = L.map(container, { keyboard: true, scrollWheelZoom: false });
  if (config.tiles) {
    L.tileLayer(config.tiles, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
  }
  var area = L.polygon(config.area, { color: "#004B76", weight: 3, fill: false, interactive: false }).addTo(map);

  function describe(feature) {
    var wrapper = document.createElement("div");
    var link = document.createElement("a");
    link.href = feature.properties.url;
    link.textContent = "#" + feature.properties.service_request_id + " " + feature.properties.service_name;
    var status = document.createElement("div");
    status.textContent = feature.properties.status_label + (feature.properties.address ? ", " + feature.properties.address : "");
    wrapper.appendChild(link);
    wrapper.appendChild(status);
    return wrapper;
  }

  var reports = L.geoJSON(config.reports, {
    pointToLayer: function (feature, latlng) {
      var open = feature.properties.status === "open";
      return L.circleMarker(latlng, {
        radius: 9,
        color: open ? "#8a1c00" : "#1f5f2a",
        weight: 2,
        fillOpacity: 0.6,
      });
    },
    onEachFeature: function (feature, layer) {
      layer.bindPopup(describe(feature));
    },
  }).addTo(map);

  if (config.point) {
    map.setView(config.point, 17);
  } else if (config.reports.features.length === 1 && !config.picker) {
    map.setView(reports.getBounds().getCenter(), 17);
  } else {
    map.fitBounds(area.getBounds());
  }

  if (config.point && !config.picker) {
    L.marker(config.point, { alt: config.labels.point, keyboard: false }).addTo(map);
  }
  if (!config.picker) {
    return;
  }

  var latField = document.getElementById("lat");
  var lonField = document.getElementById("lon");
  var status = document.getElementById("report-map-status");
  var centreButton = document.getElementById("report-map-centre");
  var marker = null;

  function inside(latlng) {
    var ring = config.area;
    var x = latlng.lng;
    var y = latlng.lat;
    var result = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var yi = ring[i][0], xi = ring[i][1], yj = ring[j][0], xj = ring[j][1];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) {
        result = !result;
      }
    }
    return result;
  }

  function place(latlng, fillFields) {
    if (marker) {
      marker.setLatLng(latlng);
    } else {
      marker = L.marker(latlng, { alt: config.labels.point, keyboard: false }).addTo(map);
    }
    if (fillFields) {
      latField.value = latlng.lat.toFixed(6);
      lonField.value = latlng.lng.toFixed(6);
    }
    if (status) {
      status.textContent = inside(latlng)
        ? config.labels.chosen.replace("%(lat)s", latlng.lat.toFixed(5)).replace("%(lon)s", latlng.lng.toFixed(5))
        : config.labels.outside;
    }
  }

  function fromFields() {
    var lat = parseFloat(latField.value.replace(",", "."));
    var lon = parseFloat(lonField.value.replace(",", "."));
    if (isFinite(lat) && isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
      place(L.latLng(lat, lon), false);
      map.panTo([lat, lon]);
    }
  }

  map.on("click", function (event) {
    place(event.latlng, true);
  });
  latField.addEventListener("change", fromFields);
  lonField.addEventListener("change", fromFields);
  if (centreButton) {
    centreButton.hidden = false;
    centreButton.addEventListener("click", function () {
      place(map.getCenter(), true);
    });
  }
  if (latField.value && lonField.value) {
    fromFields();
  }
})();
