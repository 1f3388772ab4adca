// Evidence and gap map: any dimension in rows × any in columns, each cell split by a third (coloured segments), as
// bubbles, a heat map or a table of numbers — one keyboard-operable table in every view, so the table is the chart.
// Categories of grouped facets open and close on both axes. Selecting a cell, a heading or a segment lists its
// studies. The whole view lives in the URL (the parameter names come from the page data, data.params, spelled in
// generator/outputs/matrix_data.py), so it can be shared, and the back button steps through changes.
// Counting rules: see generator/outputs/matrix.py. Every link comes from the page data (data.urls): no path here.
// This file, 4 of 4 (after matrix-draw.js, matrix-lists.js and matrix-model.js: paths.MATRIX_SCRIPTS), makes the
// controls and starts the page.
(function (M) {
  "use strict";
  var el = M.el, studiesText = M.studiesText;

  function setup() {
    var root = document.getElementById("em-matrix");
    var source = document.getElementById("em-matrix-data");
    if (!root || !source || root.dataset.emReady) return;
    root.dataset.emReady = "1";
    var data = JSON.parse(source.textContent);
    var m = M.model(data);
    var dims = m.dims, N = m.N, idOf = m.idOf, labelOf = m.labelOf, filterDims = m.filterDims;
    var minYear = m.minYear, maxYear = m.maxYear, counted = m.counted, lines = m.lines;
    var state, drawSelection;
    function change(update) {
      var before = m.viewKey(state);
      update(state);
      m.writeURL(state);
      if (m.viewKey(state) === before) { drawSelection(counted(state), state); markPressed(); }
      else render();
    }

    // ------------------------------------------------------------------ controls
    var controls = el("div", { "class": "em-matrix-controls" });
    function picker(label, attr, ids, extra) {
      var field = el("select", { "data-em-pick": attr }, (extra || []).concat(ids.map(function (id) {
        return el("option", { value: id, text: dims[id].label });
      })));
      controls.appendChild(el("label", { "class": "em-filter" }, [document.createTextNode(label), field]));
      return field;
    }
    var rowsField = picker("Rows", "rows", data.rows);
    var colsField = picker("Columns", "cols", data.columns);
    var splitField = data.segments.length ? picker("Split cells by", "split", data.segments,
      [el("option", { value: data.none, text: "Nothing" })]) : null;
    rowsField.addEventListener("change", function () {
      change(function (s) { s.rows = rowsField.value; s.openRows = []; s.row = null; });
    });
    colsField.addEventListener("change", function () {
      change(function (s) { s.cols = colsField.value; s.openCols = []; s.col = null; });
    });
    if (splitField) splitField.addEventListener("change", function () {
      change(function (s) {
        s.split = splitField.value === data.none ? null : splitField.value; s.seg = null;
        if (!s.split && s.view === "bubble") s.view = "heat";
      });
    });
    var viewBox = el("div", { "class": "em-view-pick", role: "group", "aria-label": "Show the counts as" });
    var viewButtons = [["bubble", "Bubbles"], ["heat", "Heat map"], ["table", "Numbers"]].map(function (v) {
      var b = el("button", { type: "button", "class": "md-button em-clear", "data-em-view": v[0], text: v[1] });
      b.addEventListener("click", function () { change(function (s) { s.view = v[0]; }); });
      viewBox.appendChild(b);
      return b;
    });
    controls.appendChild(el("div", { "class": "em-filter" }, [el("span", { text: "Show as", "aria-hidden": "true" }),
                                                                viewBox]));

    var filterBox = el("div", { "class": "em-matrix-filters", role: "group", "aria-label": "Filters" });
    var boxes = {};
    filterDims.forEach(function (d) {
      var summary = el("summary", { text: d.label });
      var checks = el("div", { "class": "em-checks" });
      boxes[d.id] = { summary: summary, inputs: [] };
      function option(key, depth) {
        var input = el("input", { type: "checkbox", value: idOf(d, key), "data-em-filter": d.id });
        input.addEventListener("change", function () {
          change(function (s) {
            var chosen = (s.filters[d.id] || []).filter(function (v) { return v !== input.value; });
            if (input.checked) chosen.push(input.value);
            s.filters[d.id] = chosen;
          });
        });
        boxes[d.id].inputs.push(input);
        checks.appendChild(el("label", depth ? { "class": "em-depth-1" } : (key >= d.n && key < d.nrKey ?
          { "class": "em-check-category" } : {}), [input, document.createTextNode(" " + labelOf(d, key))]));
      }
      d.order.forEach(function (o) {
        if (o >= 0) { option(o, 0); return; }
        option(d.n - 1 - o, 0);
        d.cats[-1 - o][2].forEach(function (j) { option(j, 1); });
      });
      if (d.unreported) option(d.nrKey, 0);
      filterBox.appendChild(el("details", { "class": "em-filter-group" }, [summary, checks]));
    });
    var yearOptions = [];
    for (var y = minYear; y <= maxYear; y += 1) yearOptions.push(el("option", { value: y, text: y }));
    var fromField = el("select", { "data-em-from": "" }, yearOptions);
    var toField = el("select", { "data-em-to": "" }, yearOptions.map(function (o) { return o.cloneNode(true); }));
    fromField.addEventListener("change", function () {
      change(function (s) {
        var v = parseInt(fromField.value, 10);
        s.from = v > minYear ? v : null;
        if (s.to !== null && s.to < v) s.to = v < maxYear ? v : null;
      });
    });
    toField.addEventListener("change", function () {
      change(function (s) {
        var v = parseInt(toField.value, 10);
        s.to = v < maxYear ? v : null;
        if (s.from !== null && s.from > v) s.from = v > minYear ? v : null;
      });
    });
    filterBox.appendChild(el("div", { "class": "em-year-range" }, [
      el("label", { "class": "em-filter" }, [document.createTextNode("From year"), fromField]),
      el("label", { "class": "em-filter" }, [document.createTextNode("To year"), toField])]));
    var clear = el("button", { type: "button", "class": "md-button em-clear", text: "Clear filters" });
    clear.addEventListener("click", clearFilters);
    filterBox.appendChild(clear);
    controls.appendChild(filterBox);

    // The count of studies that pass the filters, or that none does; screen readers hear each change.
    var status = el("p", { "class": "em-count", role: "status", "aria-live": "polite", "data-em-count": "",
                           tabindex: "-1" });
    var clearToo = el("button", { type: "button", "class": "md-button em-clear", text: "Clear filters" });
    clearToo.addEventListener("click", clearFilters);
    var empty = el("div", { "data-em-empty": "", hidden: true }, [el("p", { "class": "em-cite-actions" }, [
      document.createTextNode("Try fewer filters, or clear them all."), clearToo])]);  // (a flex row ignores hidden)
    var announce = el("p", { "class": "em-sr-only", "aria-live": "polite" });  // tells screen readers what was listed
    var legend = el("div", { "class": "em-legend", "data-em-legend": "" });
    var selection = el("section", { "class": "em-matrix-selection", "aria-labelledby": "em-selection-title",
                                    "data-em-selection": "" });
    var tableBox = root.querySelector("[data-em-table]");
    var hint = el("p", { "class": "em-muted em-matrix-hint", id: "em-matrix-hint",
      text: "Select a cell or a heading to list its studies; ▸ opens a category. In the table, the arrow keys " +
            "move between them." });
    root.insertBefore(controls, root.firstChild);
    [status, empty, announce, legend, hint].forEach(function (part) { root.insertBefore(part, tableBox); });
    root.appendChild(selection);

    function filtered() {
      return state.from !== null || state.to !== null ||
        Object.keys(state.filters).some(function (k) { return state.filters[k].length; });
    }
    // Both "Clear filters" buttons hide once pressed: the keyboard goes on from the count of studies.
    function clearFilters() {
      change(function (s) { s.filters = {}; s.from = null; s.to = null; });
      status.focus();
    }
    function select(row, col, seg) {
      change(function (s) {
        if (s.row === row && s.col === col && s.seg === seg) { s.row = null; s.col = null; s.seg = null; }
        else { s.row = row; s.col = col; s.seg = seg; }
      });
    }
    function toggle(axis, id) {
      change(function (s) {
        var open = axis === "row" ? s.openRows : s.openCols;
        var next = open.indexOf(id) === -1 ? open.concat([id]) : open.filter(function (v) { return v !== id; });
        if (axis === "row") s.openRows = next; else s.openCols = next;
      });
    }
    var draw = M.drawing({ idOf: idOf, labelOf: labelOf, topKey: m.topKey, select: select, toggle: toggle });
    drawSelection = M.lister({ data: data, model: m, selection: selection, announce: announce, change: change });
    function render() {
      var c = counted(state);
      syncControls();
      var none = !c.pass.length && filtered();
      if (none) status.replaceChildren(el("strong", { text: "No studies match these filters." }));
      else status.textContent = c.pass.length + " of " + studiesText(N);
      empty.hidden = !none;
      [tableBox, hint, selection, legend].forEach(function (part) { part.hidden = none; });
      if (none) { announce.textContent = ""; return; }
      var rowLines = lines(c.R, state.openRows), colLines = lines(c.C, state.openCols);
      draw.legend(legend, c, state, data);
      draw.table(tableBox, c, state, rowLines, colLines, data);
      drawSelection(c, state);
    }
    function markPressed() {
      tableBox.querySelectorAll("button.em-cell").forEach(function (b) {
        var on = (b.dataset.row || null) === state.row && (b.dataset.col || null) === state.col &&
          (b.dataset.seg || null) === state.seg;
        b.setAttribute("aria-pressed", on ? "true" : "false");
      });
      legend.querySelectorAll("button[data-seg]").forEach(function (b) {
        b.setAttribute("aria-pressed", b.dataset.seg === state.seg ? "true" : "false");
      });
    }


    function syncControls() {
      rowsField.value = state.rows;
      colsField.value = state.cols;
      if (splitField) splitField.value = state.split || data.none;
      viewButtons.forEach(function (b) {
        b.setAttribute("aria-pressed", b.dataset.emView === state.view ? "true" : "false");
      });
      filterDims.forEach(function (d) {
        var chosen = state.filters[d.id] || [];
        boxes[d.id].inputs.forEach(function (input) { input.checked = chosen.indexOf(input.value) !== -1; });
        boxes[d.id].summary.textContent = d.label + (chosen.length ? " (" + chosen.length + ")" : "");
      });
      fromField.value = state.from === null ? minYear : state.from;
      toField.value = state.to === null ? maxYear : state.to;
      clear.hidden = !filtered();
    }
    state = m.readURL();
    render();
    window.addEventListener("popstate", function () { state = m.readURL(); render(); });
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(setup);
  else document.addEventListener("DOMContentLoaded", setup);
})(window.emMatrix = window.emMatrix || {});
