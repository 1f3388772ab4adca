// Studies index: filter (text box and one select per facet) and sort (column buttons) in the page.
// Plain script, served from the site itself; without it the full table is still there.
(function () {
  "use strict";
  function setup() {
    var table = document.getElementById("em-studies");
    var panel = document.querySelector("[data-em-table='em-studies']");
    if (!table || !panel || table.dataset.emReady) return;
    table.dataset.emReady = "1";
    panel.hidden = false;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var count = panel.querySelector("[data-em-count]");
    var controls = panel.querySelectorAll("[data-em-filter]");

    function apply() {
      var shown = 0;
      var text = "";
      var wanted = {};
      controls.forEach(function (c) {
        if (c.dataset.emFilter === "text") text = c.value.trim().toLowerCase();
        else if (c.value) wanted[c.dataset.emFilter] = c.value;
      });
      rows.forEach(function (row) {
        var ok = !text || row.textContent.toLowerCase().indexOf(text) !== -1;
        Object.keys(wanted).forEach(function (facet) {
          var values = (row.getAttribute("data-" + facet) || "").split(" ");
          if (values.indexOf(wanted[facet]) === -1) ok = false;
        });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = shown + " of " + rows.length + " studies";
    }
    controls.forEach(function (c) { c.addEventListener("input", apply); });

    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var numeric = th.dataset.sort === "number";
        rows.sort(function (a, b) {
          var x = a.cells[index].dataset.value || a.cells[index].textContent.trim();
          var y = b.cells[index].dataset.value || b.cells[index].textContent.trim();
          var order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
    apply();
  }
  // Material's instant navigation swaps pages without reloading: run on each page it shows.
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(setup);
  else document.addEventListener("DOMContentLoaded", setup);
})();
