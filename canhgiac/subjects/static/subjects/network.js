// The network page: loads the subject's network as JSON (positions computed on the server) and
// draws it with cytoscape.js. No inline script: the Content-Security-Policy forbids it.
(function () {
  "use strict";

  var COLOURS = {
    ownership: "#8e44ad", directorship: "#2c3e50", family: "#c0392b", associate: "#16a085",
    employment: "#d35400", "case": "#e67e22", phone: "#7f8c8d", bank_account: "#27ae60",
    address: "#95a5a6", online_account: "#2980b9", vehicle: "#6d4c41"
  };

  function text(el, value) { el.textContent = value; }

  function describe(node, box) {
    var d = node.data();
    box.replaceChildren();
    var title = document.createElement("p");
    var strong = document.createElement("strong");
    text(strong, d.label);
    title.appendChild(strong);
    box.appendChild(title);
    if (d.kind === "hidden") {
      var p = document.createElement("p");
      text(p, [d.agency_name, d.hotline, d.email].filter(Boolean).join(" — "));
      box.appendChild(p);
    }
    if (d.url) {
      var a = document.createElement("a");
      a.href = d.url;
      text(a, box.dataset.open || "Mở");
      box.appendChild(a);
    }
    box.hidden = false;
  }

  function draw(container, data, status) {
    var large = data.nodes.length > 400;
    var elements = [];
    data.nodes.forEach(function (n) {
      elements.push({
        group: "nodes",
        data: {
          id: n.id, label: n.label, kind: n.kind, url: n.url || "", agency_name: n.agency_name || "",
          hotline: n.hotline || "", email: n.email || "", centre: n.id === data.center ? 1 : 0,
          org: n.subject_kind === "organisation" ? 1 : 0
        },
        position: { x: n.x, y: n.y }
      });
    });
    data.edges.forEach(function (e, i) {
      elements.push({
        group: "edges",
        data: { id: "e" + i, source: e.source, target: e.target, type: e.type, label: e.label,
                colour: COLOURS[e.type] || "#999" }
      });
    });
    var cy = window.cytoscape({
      container: container,
      elements: elements,
      layout: { name: "preset", fit: true, padding: 20 },
      minZoom: 0.05,
      maxZoom: 4,
      textureOnViewport: large,
      hideEdgesOnViewport: large,
      pixelRatio: large ? 1 : "auto",
      style: [
        { selector: "node", style: {
          "background-color": "#1e5aa8", width: 14, height: 14, label: "data(label)",
          "font-size": 9, "text-valign": "bottom", "text-margin-y": 2, color: "#222",
          "min-zoomed-font-size": large ? 10 : 4, "text-max-width": 120, "text-wrap": "ellipsis" } },
        { selector: "node[org = 1]", style: { shape: "round-rectangle" } },
        { selector: "node[kind = 'case']", style: { shape: "diamond", "background-color": "#e67e22", width: 12, height: 12 } },
        { selector: "node[kind = 'key']", style: { "background-color": "#7f8c8d", width: 8, height: 8, "font-size": 7 } },
        { selector: "node[kind = 'hidden']", style: {
          "background-color": "#fff", "border-width": 2, "border-style": "dashed", "border-color": "#7f8c8d" } },
        { selector: "node[centre = 1]", style: { "background-color": "#c0392b", width: 22, height: 22, "font-size": 11, "font-weight": "bold" } },
        { selector: "edge", style: { width: 1, "line-color": "data(colour)", "curve-style": "haystack", opacity: 0.7 } },
        { selector: ":selected", style: { "border-width": 3, "border-color": "#f1c40f" } }
      ]
    });
    var info = document.getElementById("cg-network-info");
    cy.on("tap", "node", function (evt) { describe(evt.target, info); });
    container.dataset.ready = "1";
    container.dataset.nodes = String(data.nodes.length);
    text(status, status.dataset.done.replace("%(nodes)s", data.nodes.length).replace("%(edges)s", data.edges.length));
    window.cgNetwork = cy;
  }

  function start() {
    var container = document.getElementById("cg-network");
    var status = document.getElementById("cg-network-status");
    if (!container || !window.cytoscape) return;
    fetch(container.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) { draw(container, data, status); })
      .catch(function () { text(status, status.dataset.failed); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
