// "At a glance": draws a bar chart (plotly, served from this site) above each table, then folds the table away.
// Without scripts, or if plotly is missing, the tables stay open and say the same.
(function () {
  "use strict";
  function plotlyText(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  function draw(box) {
    var spec = JSON.parse(box.dataset.emChart);
    var style = window.getComputedStyle(document.body);
    var fg = style.getPropertyValue("--md-default-fg-color").trim() || "#333";
    var grid = style.getPropertyValue("--md-default-fg-color--lightest").trim() || "#eee";
    var labels = spec.labels.map(plotlyText);
    var h = spec.horizontal;
    var trace = { type: "bar", orientation: h ? "h" : "v", x: h ? spec.counts : labels, y: h ? labels : spec.counts,
                  // a colour per bar for ranked values (appraisal: the matrix's scale), outlined as its bubbles are
                  marker: spec.colours ? { color: spec.colours, line: { color: fg, width: 1 } } : { color: "#2171b5" },
                  text: spec.counts.map(String), textposition: "outside",
                  cliponaxis: false, hoverinfo: "none" };
    var max = Math.max.apply(null, [1].concat(spec.counts));
    var valueAxis = { range: [0, max * 1.15], dtick: max > 10 ? null : 1, gridcolor: grid, zeroline: false,
                      fixedrange: true, automargin: true };
    var labelAxis = { type: "category", automargin: true, fixedrange: true, autorange: h ? "reversed" : true };
    var layout = { height: h ? 60 + spec.labels.length * 28 : 260, margin: { t: 10, r: 20, b: 10, l: 10 },
                   paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)", font: { color: fg, size: 12 },
                   xaxis: h ? valueAxis : labelAxis, yaxis: h ? labelAxis : valueAxis, bargap: 0.25 };
    window.Plotly.react(box, [trace], layout, { staticPlot: true, responsive: true, displayModeBar: false });
  }
  function setup() {
    var boxes = document.querySelectorAll("[data-em-chart]");
    if (!boxes.length || !window.Plotly || document.body.dataset.emCharts) return;
    document.body.dataset.emCharts = "1";
    boxes.forEach(function (box) {
      draw(box);
      var table = box.parentNode.querySelector("details.em-chart-table");
      if (table) table.open = false;
    });
    // Material's palette toggle changes the colours the charts are drawn with.
    new MutationObserver(function () { boxes.forEach(draw); })
      .observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(setup);
  else document.addEventListener("DOMContentLoaded", setup);
})();
