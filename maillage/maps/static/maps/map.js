/*
 * The network's map (maillage/maps): Leaflet, fed by the server's clusters.
 *
 * The page gives its settings as JSON (#map-config, from views._config). On every move
 * the script asks /carte/donnees/ for the clusters and points of the viewport (never the
 * whole dataset), draws them, and — on the full page — refreshes the list beside the map
 * (the #results fragment of the same page) and the embed snippet. Popups and labels are
 * built with DOM calls and textContent: no HTML from the data is ever parsed, and no
 * inline style or script is needed (the site's CSP forbids them).
 */
(function () {
  "use strict";

  var configElement = document.getElementById("map-config");
  var mapElement = document.getElementById("map");
  if (!configElement || !mapElement || !window.L) {
    return;
  }
  var config = JSON.parse(configElement.textContent);
  var text = config.text;
  var form = document.getElementById("map-filters");
  var statusElement = document.getElementById("map-status");
  mapElement.hidden = false;
  var note = document.getElementById("map-note");
  if (note) {
    note.hidden = true;
  }
  mapElement.setAttribute("role", "region");
  mapElement.setAttribute("aria-label", text.mapLabel);

  var map = L.map(mapElement, {
    maxZoom: config.maxZoom,
    minZoom: 2,
    maxBounds: [[-85, -180], [85, 180]],
    maxBoundsViscosity: 1.0,
    worldCopyJump: false,
    zoomControl: false
  });
  L.control.zoom({ zoomInTitle: text.zoomIn, zoomOutTitle: text.zoomOut }).addTo(map);
  if (config.tiles.url) {
    L.tileLayer(config.tiles.url, {
      attribution: config.tiles.attribution,
      maxZoom: config.maxZoom,
      // Tile servers (OpenStreetMap's among them) want to know which site asks.
      referrerPolicy: "strict-origin-when-cross-origin"
    }).addTo(map);
  }
  var features = L.layerGroup().addTo(map);
  var aroundLayer = L.layerGroup().addTo(map);

  /* `forms` is [singular, plural]; the singular serves 0 and 1, as in French. */
  function format(forms, count) {
    var template = count > 1 ? forms[1] : forms[0];
    return template.replace("%(count)s", count.toLocaleString(document.documentElement.lang || "fr"));
  }

  function say(message) {
    if (statusElement) {
      statusElement.textContent = message || "";
    }
  }

  /* Criteria: the form's fields on the full page, the URL's in the embedded map. */
  function criteria() {
    var params = new URLSearchParams();
    if (form) {
      new FormData(form).forEach(function (value, key) {
        if (typeof value === "string" && value !== "" && key !== "page") {
          params.append(key, value);
        }
      });
      // The radius only means something around a place.
      if (!params.get("lat") && !params.get("autour") && !params.get("autour_search")) {
        params.delete("rayon");
      }
    } else {
      Object.keys(config.criteria).forEach(function (key) {
        params.append(key, config.criteria[key]);
      });
    }
    return params;
  }

  function bboxParam() {
    var b = map.getBounds();
    var clamp = function (v, limit) { return Math.max(-limit, Math.min(limit, v)); };
    return [
      clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)
    ].map(function (v) { return v.toFixed(5); }).join(",");
  }

  function viewParams() {
    var params = criteria();
    params.set("bbox", bboxParam());
    params.set("zoom", String(map.getZoom()));
    return params;
  }

  /* Popups ---------------------------------------------------------------------------- */

  function link(item) {
    var a = document.createElement("a");
    a.href = item.url;
    a.textContent = item.title;
    if (config.embed) {
      a.target = "_blank";
      a.rel = "noopener";
    }
    return a;
  }

  function pointPopup(point) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var kind = document.createElement("p");
    kind.className = "map-popup-kind";
    kind.textContent = text.kinds[point.kind] || "";
    var title = document.createElement("p");
    title.className = "map-popup-title";
    title.appendChild(link(point));
    box.appendChild(kind);
    box.appendChild(title);
    return box;
  }

  function stackPopup(cluster) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var head = document.createElement("p");
    head.className = "map-popup-title";
    head.textContent = format(text.stack, cluster.count);
    var list = document.createElement("ul");
    cluster.items.forEach(function (item) {
      var li = document.createElement("li");
      li.appendChild(link(item));
      list.appendChild(li);
    });
    box.appendChild(head);
    box.appendChild(list);
    if (cluster.count > cluster.items.length) {
      var more = document.createElement("p");
      more.textContent = format(text.more, cluster.count - cluster.items.length);
      box.appendChild(more);
    }
    return box;
  }

  /* Drawing --------------------------------------------------------------------------- */

  function clusterIcon(count) {
    var size = count < 10 ? "s" : count < 1000 ? "m" : "l";
    var diameter = { s: 30, m: 38, l: 48 }[size];
    var label = document.createElement("span");
    label.textContent = count >= 10000 ? Math.round(count / 1000) + "k" : String(count);
    return L.divIcon({
      className: "map-cluster map-cluster-" + size,
      html: label,
      iconSize: [diameter, diameter]
    });
  }

  function drawCluster(cluster) {
    var marker = L.marker([cluster.lat, cluster.lon], {
      icon: clusterIcon(cluster.count),
      title: format(cluster.items ? text.stack : text.cluster, cluster.count),
      keyboard: true,
      riseOnHover: true
    });
    if (cluster.items) {
      marker.bindPopup(stackPopup(cluster));
    } else {
      marker.on("click", function () {
        map.setView([cluster.lat, cluster.lon], Math.min(map.getZoom() + 2, config.maxZoom));
      });
    }
    features.addLayer(marker);
  }

  function drawPoint(point) {
    var marker = L.marker([point.lat, point.lon], {
      icon: L.divIcon({ className: "map-point map-point-" + point.kind, iconSize: [16, 16] }),
      title: point.title,
      keyboard: true
    });
    marker.bindPopup(pointPopup(point));
    features.addLayer(marker);
  }

  function draw(answer) {
    features.clearLayers();
    answer.clusters.forEach(drawCluster);
    answer.points.forEach(drawPoint);
    // The full page's list says how many; the embedded map has only this line.
    var message = config.embed ? format(text.inView, answer.total) : "";
    say(answer.truncated ? (message + " " + text.truncated).trim() : message);
    mapElement.dataset.total = String(answer.total);
    mapElement.dataset.loaded = String(Number(mapElement.dataset.loaded || 0) + 1);
  }

  /* Asking the server ----------------------------------------------------------------- */

  var pending = null;

  function refreshData() {
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    var params = viewParams();
    return fetch(config.dataUrl + "?" + params.toString(), {
      signal: pending.signal,
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) {
          throw new Error(body.error || text.error);
        }
        draw(body);
      });
    }).catch(function (error) {
      if (error.name !== "AbortError") {
        say(error.message || text.error);
      }
    });
  }

  var listPending = null;

  function replaceResults(url) {
    var results = document.getElementById("results");
    if (!results) {
      return;
    }
    if (listPending) {
      listPending.abort();
    }
    listPending = new AbortController();
    fetch(url, { signal: listPending.signal, credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("results");
        if (fresh) {
          document.getElementById("results").replaceWith(fresh);
        }
      })
      .catch(function () { /* the list keeps its previous content */ });
  }

  function refreshList() {
    replaceResults(config.listUrl + "?" + viewParams().toString());
  }

  function updateSnippet() {
    var code = document.getElementById("map-embed-code");
    if (!code) {
      return;
    }
    var params = criteria();
    params.delete("bbox");
    params.delete("zoom");
    var centre = map.getCenter();
    params.set("centre", centre.lat.toFixed(5) + "," + centre.lng.toFixed(5));
    params.set("zoom", String(map.getZoom()));
    var title = code.value.match(/title="([^"]*)"/);
    code.value = '<iframe src="' + config.embedUrl + "?" + params.toString().replace(/&/g, "&amp;") +
      '" title="' + (title ? title[1] : "") + '" width="100%" height="480" loading="lazy"></iframe>';
  }

  function remember() {
    if (!form || !window.history.replaceState) {
      return;
    }
    var params = criteria();
    params.set("bbox", bboxParam());
    window.history.replaceState(null, "", "?" + params.toString());
  }

  var timer = null;

  function refresh() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      refreshData();
      if (form) {
        refreshList();
        updateSnippet();
        remember();
      }
    }, 150);
  }

  /* "Autour de…": a circle, and the view that fits it ---------------------------------- */

  function showAround(lat, lon, radiusKm) {
    aroundLayer.clearLayers();
    var circle = L.circle([lat, lon], { radius: radiusKm * 1000, className: "map-around-circle", interactive: false });
    aroundLayer.addLayer(circle);
    map.fitBounds(circle.getBounds());
  }

  function aroundMe() {
    var button = document.getElementById("map-around-me");
    var status = document.getElementById("map-around-status");
    if (!button || !form || !navigator.geolocation) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = text.locating;
      navigator.geolocation.getCurrentPosition(function (position) {
        var lat = position.coords.latitude;
        var lon = position.coords.longitude;
        form.elements.lat.value = lat.toFixed(5);
        form.elements.lon.value = lon.toFixed(5);
        status.textContent = text.located;
        showAround(lat, lon, Number(form.elements.rayon.value) || 20);
        refresh();
      }, function () {
        status.textContent = text.noLocation;
      }, { timeout: 10000, maximumAge: 60000 });
    });
  }

  /* Copying the embed snippet --------------------------------------------------------- */

  function copyButton() {
    var button = document.getElementById("map-embed-copy");
    var code = document.getElementById("map-embed-code");
    var status = document.getElementById("map-embed-status");
    if (!button || !code) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () { status.textContent = text.copied; };
      var fallback = function () {
        code.select();
        status.textContent = document.execCommand && document.execCommand("copy") ? text.copied : text.copyFailed;
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(code.value).then(done, fallback);
      } else {
        fallback();
      }
    });
  }

  /* Start ----------------------------------------------------------------------------- */

  var view = config.view;
  if (view.around) {
    showAround(view.around[0], view.around[1], view.around[2]);
  } else if (view.centre) {
    map.setView(view.centre, view.zoom);
  } else {
    var b = view.bbox;
    map.fitBounds([[b[1], b[0]], [b[3], b[2]]]);
  }
  say(text.loading);
  map.on("moveend", refresh);
  refresh();
  aroundMe();
  copyButton();

  if (form) {
    // Changing a criterion redraws the map and the list at once; the submit button
    // still reloads the page (and recentres the map on a new territory or place).
    form.addEventListener("change", function (event) {
      if (event.target.name === "rayon" && form.elements.lat.value) {
        showAround(Number(form.elements.lat.value), Number(form.elements.lon.value), Number(event.target.value));
      }
      refresh();
    });
    document.addEventListener("click", function (event) {
      var anchor = event.target.closest && event.target.closest("#results .pagination a");
      if (anchor) {
        event.preventDefault();
        replaceResults(anchor.href);
      }
    });
  }
}());
