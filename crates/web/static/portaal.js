// Gastvrij public portal: progressive enhancement only. Without this script every page works:
// the question form has a "Zoek eerst een antwoord" button and the place can be typed.
(function () {
  "use strict";

  // Live answer suggestions while the citizen types a question.
  var box = document.querySelector("textarea[data-suggesties]");
  var target = document.getElementById("suggesties");
  if (box && target && window.fetch) {
    var timer = null;
    var last = "";
    var seq = 0;
    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = box.value.trim();
        if (q === last) return;
        last = q;
        var mine = ++seq;
        if (q.length < 3) { target.innerHTML = ""; return; }
        fetch(box.getAttribute("data-suggesties") + "?q=" + encodeURIComponent(q.slice(0, 500)), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.text() : ""; })
          .then(function (html) { if (mine === seq) target.innerHTML = html; })
          .catch(function () {});
      }, 250);
    });
  }

  // "Use my location": fills the hidden point fields of the melding form.
  var spot = document.querySelector("[data-locatie]");
  if (spot && navigator.geolocation) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "utrecht-button utrecht-button--secondary-action";
    button.textContent = "Gebruik mijn huidige locatie";
    var status = document.createElement("p");
    status.className = "utrecht-form-field-description";
    status.setAttribute("role", "status");
    spot.appendChild(button);
    spot.appendChild(status);
    var lat = document.getElementById("lat");
    var lon = document.getElementById("lon");
    if (lat.value && lon.value) status.textContent = "Uw locatie is doorgegeven.";
    button.addEventListener("click", function () {
      status.textContent = "Even zoeken…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        lat.value = pos.coords.latitude.toFixed(6);
        lon.value = pos.coords.longitude.toFixed(6);
        status.textContent = "Uw locatie is doorgegeven (" + lat.value + ", " + lon.value + ").";
      }, function () {
        status.textContent = "Uw locatie lukt niet. Vul de postcode in of beschrijf de plek.";
      }, { timeout: 10000 });
    });
  }
})();
