// The relational atlas: loads the graph JSON and draws it with cytoscape.
// Large graphs (hundreds of nodes and more) get a concentric layout by kind, which is
// linear in time; small ones a force-directed layout. Clicking a node opens its page.
// A suggested edge that comes from an ad carries the ad's title ("label"): hovering or
// tapping it writes the title in the #atlas-detail line (read by screen readers; on the
// canvas, long titles ran across the other labels); a click, or a second tap, opens it.
(function () {
  "use strict";
  var box = document.getElementById("atlas");
  if (!box || typeof cytoscape === "undefined") { return; }
  var COLORS = {
    person: "#2a7f62", organisation: "#3d5a80", initiative: "#c8553d",
    theme: "#6b4c7a", territory: "#b08d2a", group: "#1f7a8c"
  };
  var RINGS = { theme: 6, territory: 5, group: 4, initiative: 3, organisation: 2, person: 1 };
  fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (graph) {
      var big = graph.nodes.length > 400;
      var cy = cytoscape({
        container: box,
        elements: graph.nodes.concat(graph.edges),
        pixelRatio: 1,
        hideEdgesOnViewport: big,
        textureOnViewport: big,
        minZoom: 0.05,
        maxZoom: 3,
        style: [
          { selector: "node", style: {
            "background-color": function (n) { return COLORS[n.data("kind")] || "#888"; },
            "label": "data(label)", "font-size": 10, "min-zoomed-font-size": 8,
            "width": function (n) { return n.data("kind") === "theme" || n.data("kind") === "territory" ? 22 : 14; },
            "height": function (n) { return n.data("kind") === "theme" || n.data("kind") === "territory" ? 22 : 14; },
            "color": "#222", "text-valign": "bottom", "text-margin-y": 3
          } },
          { selector: "edge", style: { "width": 1, "line-color": "#c9d3cd", "curve-style": "haystack" } },
          { selector: "edge[kind = 'membership'], edge[kind = 'carrier']", style: { "line-color": "#7a9c8e", "width": 1.5 } },
          { selector: "edge[kind = 'participation'], edge[kind = 'followup']", style: { "line-color": "#d9a08f" } },
          { selector: "edge[kind = 'suggestion']", style: {
            "line-style": "dashed", "line-color": "#c8553d", "width": 2, "curve-style": "straight"
          } }
        ],
        layout: big
          ? { name: "concentric", concentric: function (n) { return RINGS[n.data("kind")] || 0; },
              levelWidth: function () { return 1; }, minNodeSpacing: 4, animate: false }
          : { name: "cose", animate: false, numIter: 800, nodeRepulsion: function () { return 6000; } }
      });
      cy.on("tap", "node", function (event) {
        var url = event.target.data("url");
        if (url) { window.location.href = url; }
      });
      var detail = document.getElementById("atlas-detail");
      var shown = null;
      function describe(edge) {
        shown = edge;
        if (detail) { detail.textContent = edge ? edge.data("label") : ""; }
      }
      cy.on("mouseover", "edge[label]", function (event) { describe(event.target); });
      cy.on("mouseout", "edge[label]", function () { describe(null); });
      cy.on("tap", "edge[label]", function (event) {
        var edge = event.target;
        // A first tap (touch screens have no hover) shows the title, a second opens the ad.
        if (shown === edge && edge.data("url")) { window.location.href = edge.data("url"); }
        describe(edge);
      });
      box.classList.add("atlas-ready");
      box.dataset.nodes = String(graph.nodes.length);
    });
})();
