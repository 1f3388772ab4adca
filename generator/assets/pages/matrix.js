// Evidence matrix: themes × one study characteristic, with filters, a heat map (plotly, served from this site),
// the same counts as a keyboard-operable table, and the list of studies behind any cell, row or column.
// The whole view lives in the URL (?by=…&f-country=GB,IE&from=…&to=…&row=…&col=…), so it can be shared,
// and the back button steps through changes. Counting rules: see generator/outputs/matrix.py.
// Every link comes from the page data (data.urls, made in generator/outputs/matrix.py from paths.py): no path here.
(function () {
  "use strict";
  var NR = "-";
  var NR_LABEL = "Not reported";
  var BLUES = [[0, "#deebf7"], [0.5, "#6baed6"], [1, "#08306b"]];  // one hue, light to dark: colour-blind safe

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "hidden") node.hidden = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  // plotly reads a small subset of HTML in labels; study text must show as typed.
  function plotlyText(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function wrap(text, width) {
    var lines = [];
    var line = "";
    String(text).split(/\s+/).forEach(function (word) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; }
      else line = line ? line + " " + word : word;
    });
    if (line) lines.push(line);
    return lines.map(plotlyText).join("<br>");
  }

  function studiesText(n) { return n + (n === 1 ? " study" : " studies"); }

  function setup() {
    var root = document.getElementById("em-matrix");
    var source = document.getElementById("em-matrix-data");
    if (!root || !source || root.dataset.emReady) return;
    root.dataset.emReady = "1";
    var data = JSON.parse(source.textContent);
    var dims = {};
    data.dims.forEach(function (d, i) { d.index = i; dims[d.id] = d; });
    var themes = data.themes.map(function (t) { return { id: t[0], title: t[1] }; });
    var studies = data.studies.map(function (s) {
      return { id: s[0], label: s[1], title: s[2], year: s[3], themes: s[4], values: s[5] };
    });
    var years = studies.map(function (s) { return s.year; });
    var minYear = Math.min.apply(null, years);
    var maxYear = Math.max.apply(null, years);
    var filterDims = data.dims.filter(function (d) { return d.id !== "year"; });

    function link(around, id) { return around[0] + id + around[1]; }  // data.urls.study or .theme, and an id
    function valuesOf(study, dim) {
      return study.values[dim.index].map(function (i) { return dim.values[i][0]; });
    }
    function unreported(dim) {
      return studies.some(function (s) { return s.values[dim.index].length === 0; });
    }
    function labelOf(dim, value) {
      if (value === NR) return NR_LABEL;
      var found = dim.values.filter(function (v) { return v[0] === value; })[0];
      return found ? found[1] : value;
    }

    // ------------------------------------------------------------------ state <-> URL
    var state;
    function readURL() {
      var params = new URLSearchParams(window.location.search);
      var s = { by: params.get("by"), filters: {}, from: null, to: null, row: params.get("row"),
                col: params.get("col") };
      if (data.columns.indexOf(s.by) === -1) s.by = data.columns[0];
      filterDims.forEach(function (d) {
        var raw = params.get("f-" + d.id);
        if (!raw) return;
        var known = d.values.map(function (v) { return v[0]; }).concat([NR]);
        var chosen = raw.split(",").filter(function (v) { return known.indexOf(v) !== -1; });
        if (chosen.length) s.filters[d.id] = chosen;
      });
      var from = parseInt(params.get("from"), 10);
      var to = parseInt(params.get("to"), 10);
      if (from > minYear && from <= maxYear) s.from = from;
      if (to >= minYear && to < maxYear) s.to = to;
      if (!themes.some(function (t) { return t.id === s.row; })) s.row = null;
      return s;
    }
    function writeURL() {
      var params = new URLSearchParams();
      if (state.by !== data.columns[0]) params.set("by", state.by);
      filterDims.forEach(function (d) {
        if (state.filters[d.id] && state.filters[d.id].length) params.set("f-" + d.id, state.filters[d.id].join(","));
      });
      if (state.from !== null) params.set("from", state.from);
      if (state.to !== null) params.set("to", state.to);
      if (state.row) params.set("row", state.row);
      if (state.col) params.set("col", state.col);
      var query = params.toString().replace(/%2C/g, ",");
      var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      if (url !== window.location.pathname + window.location.search + window.location.hash) {
        window.history.pushState(null, "", url);
      }
    }
    function change(update) {
      update(state);
      writeURL();
      render();
    }

    // ------------------------------------------------------------------ counting
    function passes(study) {
      if (state.from !== null && study.year < state.from) return false;
      if (state.to !== null && study.year > state.to) return false;
      return filterDims.every(function (d) {
        var wanted = state.filters[d.id];
        if (!wanted || !wanted.length) return true;
        var values = valuesOf(study, d);
        if (!values.length) values = [NR];
        return values.some(function (v) { return wanted.indexOf(v) !== -1; });
      });
    }
    function count() {
      var dim = dims[state.by];
      var columns = dim.values.map(function (v) { return { id: v[0], label: v[1] }; });
      if (unreported(dim)) columns.push({ id: NR, label: NR_LABEL });
      var position = {};
      columns.forEach(function (c, i) { position[c.id] = i; });
      var cells = themes.map(function () { return columns.map(function () { return []; }); });
      var rows = themes.map(function () { return []; });
      var cols = columns.map(function () { return []; });
      var total = [];
      studies.forEach(function (s) {
        if (!passes(s)) return;
        total.push(s);
        var values = valuesOf(s, dim);
        if (!values.length) values = [NR];
        values.forEach(function (v) { cols[position[v]].push(s); });
        s.themes.forEach(function (t) {
          rows[t].push(s);
          values.forEach(function (v) { cells[t][position[v]].push(s); });
        });
      });
      return { dim: dim, columns: columns, cells: cells, rows: rows, cols: cols, total: total };
    }

    // ------------------------------------------------------------------ the page's parts
    var controls = el("div", { "class": "em-matrix-controls" });
    var byField = el("select", { "data-em-by": "" }, data.columns.map(function (id) {
      return el("option", { value: id, text: dims[id].label });
    }));
    controls.appendChild(el("label", { "class": "em-filter" }, [document.createTextNode("Columns"), byField]));
    byField.addEventListener("change", function () {
      change(function (s) { s.by = byField.value; s.col = null; });
    });

    var filterBox = el("div", { "class": "em-matrix-filters", role: "group", "aria-label": "Filters" });
    var boxes = {};
    filterDims.forEach(function (d) {
      var options = d.values.map(function (v) { return { id: v[0], label: v[1] }; });
      if (unreported(d)) options.push({ id: NR, label: NR_LABEL });
      var summary = el("summary", { text: d.label });
      var list = el("div", { "class": "em-checks" });
      boxes[d.id] = { summary: summary, inputs: [] };
      options.forEach(function (o) {
        var input = el("input", { type: "checkbox", value: o.id, "data-em-filter": d.id });
        input.addEventListener("change", function () {
          change(function (s) {
            var chosen = (s.filters[d.id] || []).filter(function (v) { return v !== o.id; });
            if (input.checked) chosen.push(o.id);
            s.filters[d.id] = chosen;
          });
        });
        boxes[d.id].inputs.push(input);
        list.appendChild(el("label", {}, [input, document.createTextNode(" " + o.label)]));
      });
      filterBox.appendChild(el("details", { "class": "em-filter-group" }, [summary, list]));
    });
    var yearOptions = [];
    for (var y = minYear; y <= maxYear; y += 1) yearOptions.push(y);
    var fromField = el("select", { "data-em-from": "" }, yearOptions.map(function (yr) {
      return el("option", { value: yr, text: yr });
    }));
    var toField = el("select", { "data-em-to": "" }, yearOptions.map(function (yr) {
      return el("option", { value: yr, text: yr });
    }));
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
    var chartBox = el("div", { "class": "em-matrix-chart-wrap", tabindex: "0", role: "region",
      "aria-label": "Heat map (scrolls sideways on small screens; the table below has the same counts)" });
    var chart = el("div", { "class": "em-matrix-chart", "aria-hidden": "true", "data-em-chart": "" });
    chartBox.appendChild(chart);
    var chartNote = el("p", { "class": "em-muted em-chart-note",
      text: "Darker cells hold more studies; grey cells with 0 are gaps. The table below has the same counts." });
    var selection = el("section", { "class": "em-matrix-selection", "aria-labelledby": "em-selection-title",
                                    "data-em-selection": "" });
    var tableBox = root.querySelector("[data-em-table]");
    var hint = el("p", { "class": "em-muted em-matrix-hint", id: "em-matrix-hint",
      text: "Select a number or a heading to list its studies. In the table, the arrow keys move between them." });

    root.insertBefore(controls, root.firstChild);
    root.insertBefore(status, tableBox);
    root.insertBefore(empty, tableBox);
    root.insertBefore(announce, tableBox);
    root.insertBefore(chartBox, tableBox);
    root.insertBefore(chartNote, tableBox);
    root.insertBefore(selection, tableBox);
    root.insertBefore(hint, tableBox);

    // ------------------------------------------------------------------ drawing
    function filtered() {
      return state.from !== null || state.to !== null ||
        Object.keys(state.filters).some(function (k) { return state.filters[k].length; });
    }
    // Both "Clear filters" buttons hide once pressed: the keyboard goes on from the count of studies, which sits
    // where the results begin (just below the filters).
    function clearFilters() {
      change(function (s) { s.filters = {}; s.from = null; s.to = null; });
      status.focus();
    }

    function select(row, col) {
      change(function (s) {
        if (s.row === row && s.col === col) { s.row = null; s.col = null; }  // a second click deselects
        else { s.row = row; s.col = col; }
      });
    }

    function drawTable(c) {
      var head = el("tr", {}, [el("th", { scope: "col", text: "Theme" })]);
      c.columns.forEach(function (col, j) {
        head.appendChild(el("th", { scope: "col" }, [cellButton(null, col.id, col.label,
          col.label + ": " + studiesText(c.cols[j].length))]));
      });
      head.appendChild(el("th", { scope: "col", text: "All studies" }));
      var body = el("tbody");
      themes.forEach(function (t, i) {
        var tr = el("tr", {}, [el("th", { scope: "row" }, [cellButton(t.id, null, t.title,
          t.title + ": " + studiesText(c.rows[i].length))])]);
        c.columns.forEach(function (col, j) {
          var n = c.cells[i][j].length;
          tr.appendChild(el("td", n ? {} : { "class": "em-cell-gap" }, [cellButton(t.id, col.id, String(n),
            studiesText(n) + ": " + t.title + ", " + col.label)]));
        });
        tr.appendChild(el("td", { "class": "em-total", text: c.rows[i].length }));
        body.appendChild(tr);
      });
      var foot = el("tr", {}, [el("th", { scope: "row", text: "All themes" })]);
      c.columns.forEach(function (col, j) { foot.appendChild(el("td", { "class": "em-total", text: c.cols[j].length })); });
      foot.appendChild(el("td", { "class": "em-total", text: c.total.length }));
      var table = el("table", { "class": "em-matrix-table", "data-em-matrix-table": "",
                                 "aria-describedby": "em-matrix-hint" }, [
        el("caption", { text: "Studies by theme and " + c.dim.label.toLowerCase() }),
        el("thead", {}, [head]), body, el("tfoot", {}, [foot])]);
      var active = document.activeElement;
      var had = tableBox.contains(active) && active.tagName === "BUTTON" ?
        [active.dataset.row || "", active.dataset.col || ""] : null;
      tableBox.replaceChildren(table);
      roving(table, had);
    }

    function cellButton(row, col, text, label) {
      var pressed = state.row === row && state.col === col && (row !== null || col !== null);
      var button = el("button", { type: "button", "class": "em-cell", "aria-label": label,
                                  "aria-pressed": pressed ? "true" : "false", tabindex: "-1", text: text });
      if (row !== null) button.dataset.row = row;
      if (col !== null) button.dataset.col = col;
      button.addEventListener("click", function () { select(row, col); });
      return button;
    }

    // One tab stop for the whole table; the arrow keys, Home and End move between its buttons.
    // Redrawing keeps the keyboard where it was: `had` is the [row, col] of the button that had focus.
    function roving(table, had) {
      var grid = Array.prototype.map.call(table.rows, function (tr) {
        return Array.prototype.map.call(tr.cells, function (cell) { return cell.querySelector("button"); });
      });
      var all = table.querySelectorAll("button");
      var again = had ? Array.prototype.filter.call(all, function (b) {
        return (b.dataset.row || "") === had[0] && (b.dataset.col || "") === had[1];
      })[0] : null;
      var current = again || table.querySelector("button[aria-pressed='true']") || all[0];
      if (current) current.tabIndex = 0;
      if (again) again.focus();
      table.addEventListener("keydown", function (event) {
        var moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
        var r = -1, k = -1;
        grid.forEach(function (cells, i) {
          var j = cells.indexOf(event.target);
          if (j !== -1) { r = i; k = j; }
        });
        if (r === -1) return;
        var target = null;
        if (moves[event.key]) {
          var i = r + moves[event.key][0], j = k + moves[event.key][1];
          while (i >= 0 && i < grid.length && j >= 0 && j < grid[i].length && !target) {
            target = grid[i][j];
            i += moves[event.key][0]; j += moves[event.key][1];
          }
        } else if (event.key === "Home") target = grid[r].filter(Boolean)[0];
        else if (event.key === "End") target = grid[r].filter(Boolean).slice(-1)[0];
        if (!target) return;
        event.preventDefault();
        all.forEach(function (b) { b.tabIndex = -1; });
        target.tabIndex = 0;
        target.focus();
      });
    }

    // ------------------------------------------------------------------ downloads of the listed studies
    // The details (authors, journal, DOI…) come from the site's studies.json, fetched on the first download:
    // the page's own data stays small.
    var full = null;
    function withStudies(then) {
      if (full) { then(full); return; }
      window.fetch(data.urls.studies_json).then(function (r) { return r.json(); }).then(function (json) {
        full = { facets: json.facets, byId: {} };
        json.studies.forEach(function (s) { full.byId[s.id] = s; });
        then(full);
      });
    }
    function cell(value) {
      var text = value === null || value === undefined ? "" : String(value);
      if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;  // a spreadsheet would run it as a formula
      return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
    }
    function asCsv(rows, facets) {
      var ids = Object.keys(facets);
      var head = ["id", "title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "url", "countries"]
        .concat(ids, ["themes"]);
      var lines = [head.join(",")];
      rows.forEach(function (s) {
        var values = [s.id, s.title, s.authors.join("; "), s.year, s.journal, s.volume, s.issue, s.pages, s.doi,
                      s.url, s.countries.join("; ")];
        ids.forEach(function (f) {
          values.push((s.facets[f] || []).map(function (v) { return facets[f].values[v] || v; }).join("; "));
        });
        values.push(Object.keys(s.themes).join("; "));
        lines.push(values.map(cell).join(","));
      });
      return lines.join("\n") + "\n";
    }
    // A RIS value is one line: a line break in a title would start a tag, or a whole record, of its own.
    // (The same characters as downloads.one_line, which writes references.ris.)
    function oneLine(value) {
      return String(value).replace(/[\n\v\f\r\x1c-\x1e\x85\u2028\u2029]+/g, " ");
    }
    function asRis(rows) {
      var out = [];
      function tag(name, value) { out.push(name + "  - " + oneLine(value)); }
      rows.forEach(function (s) {
        tag("TY", "JOUR");
        s.authors.forEach(function (a) { tag("AU", a); });
        tag("TI", s.title);
        tag("JO", s.journal);
        tag("PY", s.year);
        if (s.volume) tag("VL", s.volume);
        if (s.issue) tag("IS", s.issue);
        if (s.pages) {
          var parts = oneLine(s.pages).split("-");
          tag("SP", parts[0].trim());
          if (parts[1] && parts[1].trim()) tag("EP", parts[1].trim());
        }
        if (s.doi) tag("DO", s.doi);
        if (s.url) tag("UR", s.url);
        tag("ID", s.id);
        out.push("ER  - ", "");
      });
      return out.join("\n");
    }
    function download(list, kind, name) {
      withStudies(function (f) {
        var rows = list.map(function (s) { return f.byId[s.id]; }).filter(Boolean);
        var text = kind === "csv" ? asCsv(rows, f.facets) : asRis(rows);
        var blob = new Blob([text], { type: kind === "csv" ? "text/csv;charset=utf-8" : "application/x-research-info-systems" });
        var a = el("a", { href: URL.createObjectURL(blob), download: name + "." + kind });
        document.body.appendChild(a);
        a.click();
        a.remove();
        window.setTimeout(function () { URL.revokeObjectURL(a.href); }, 5000);
      });
    }
    function downloadButtons(list, name, what) {
      var box = el("p", { "class": "em-cite-actions" }, [document.createTextNode("Download " + what + ": ")]);
      [["csv", "CSV"], ["ris", "RIS"]].forEach(function (k) {
        var b = el("button", { type: "button", "class": "md-button em-clear", "data-em-download": k[0], text: k[1] });
        b.addEventListener("click", function () { download(list, k[0], name); });
        box.appendChild(b);
      });
      return box;
    }

    function drawSelection(c) {
      var i = themes.map(function (t) { return t.id; }).indexOf(state.row);
      var j = c.columns.map(function (col) { return col.id; }).indexOf(state.col);
      if (state.col !== null && j === -1) j = -2;  // a column this dimension does not have
      selection.replaceChildren();
      if (i === -1 && j < 0) {
        announce.textContent = "";
        selection.appendChild(el("h2", { id: "em-selection-title", text: "Studies" }));
        selection.appendChild(el("p", { "class": "em-muted",
          text: "Select a cell, a theme or a column heading to list its studies." }));
        if (c.total.length) {
          selection.appendChild(downloadButtons(c.total, "studies-filtered",
            c.total.length === studies.length ? "all " + studiesText(c.total.length)
                                              : "the " + studiesText(c.total.length) + " that pass the filters"));
        }
        return;
      }
      var list = i !== -1 && j >= 0 ? c.cells[i][j] : i !== -1 ? c.rows[i] : c.cols[j];
      var parts = [];
      if (i !== -1) parts.push(themes[i].title);
      if (j >= 0) parts.push(c.dim.label + ": " + c.columns[j].label);
      var title = parts.join(" × ") + " — " + studiesText(list.length);
      selection.appendChild(el("h2", { id: "em-selection-title", text: title }));
      announce.textContent = "Listed above the table: " + title;
      if (i !== -1) {
        selection.appendChild(el("p", {}, [el("a", { href: link(data.urls.theme, themes[i].id),
          text: "Read the synthesis: " + themes[i].title })]));
      }
      var primary = data.primary ? dims[data.primary] : null;
      var ul = el("ul", { "class": "em-study-list" });
      list.forEach(function (s) {
        var kind = primary ? valuesOf(s, primary).map(function (v) { return labelOf(primary, v); }).join(", ") : "";
        ul.appendChild(el("li", {}, [
          el("a", { href: link(data.urls.study, s.id), text: s.label }),
          document.createTextNode(" — " + s.title),
          kind ? el("span", { "class": "em-muted", text: " · " + kind }) : null]));
      });
      if (!list.length) ul.appendChild(el("li", { "class": "em-muted", text: "No studies: a gap in the evidence." }));
      selection.appendChild(ul);
      if (list.length) {
        var slug = [state.row, state.col].filter(Boolean).join("-").replace(/[^A-Za-z0-9-]+/g, "-");
        selection.appendChild(downloadButtons(list, "studies-" + (slug || "selected"), "these " + studiesText(list.length)));
      }
      var done = el("button", { type: "button", "class": "md-button em-clear", text: "Clear selection" });
      done.addEventListener("click", function () { change(function (s) { s.row = null; s.col = null; }); });
      selection.appendChild(done);
    }

    function drawChart(c) {
      if (chartBox.hidden) return;  // no plotly, or no study passes the filters
      var style = window.getComputedStyle(document.body);
      var fg = style.getPropertyValue("--md-default-fg-color").trim() || "#333";
      var gap = style.getPropertyValue("--md-default-fg-color--lightest").trim() || "#eee";
      var x = c.columns.map(function (col, j) { return j; });
      var yIdx = themes.map(function (t, i) { return i; });
      var z = [], gaps = [], hover = [];
      themes.forEach(function (t, i) {
        z.push(c.columns.map(function (col, j) { return c.cells[i][j].length || null; }));
        gaps.push(c.columns.map(function (col, j) { return c.cells[i][j].length ? null : 0; }));
        hover.push(c.columns.map(function (col, j) {
          return plotlyText(t.title + " × " + col.label + ": " + studiesText(c.cells[i][j].length));
        }));
      });
      var max = Math.max.apply(null, [1].concat(z.map(function (r) { return Math.max.apply(null, r); })));
      var common = { type: "heatmap", x: x, y: yIdx, xgap: 3, ygap: 3, showscale: false, customdata: hover,
                     hovertemplate: "%{customdata}<extra></extra>" };
      var traces = [
        Object.assign({ z: gaps, colorscale: [[0, gap], [1, gap]], texttemplate: "0", name: "gaps",
                        textfont: { color: fg } }, common),
        Object.assign({ z: z, zmin: 0, zmax: max, colorscale: BLUES, texttemplate: "%{z}", name: "studies",
                        textfont: { size: 14 } }, common)];
      var narrow = chart.clientWidth < 600;
      var width = Math.max(chartBox.clientWidth, (narrow ? 110 : 190) + c.columns.length * 64);
      var layout = {
        width: width, height: 90 + themes.length * 52, margin: { t: 10, r: 10, b: 10, l: 10 },
        paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)", font: { color: fg, size: 12 },
        dragmode: false,
        xaxis: { side: "top", tickvals: x, fixedrange: true, automargin: true, showgrid: false, zeroline: false,
                 ticktext: c.columns.map(function (col, j) {
                   return wrap(col.label, 12) + "<br>(" + c.cols[j].length + ")"; }) },
        yaxis: { autorange: "reversed", tickvals: yIdx, fixedrange: true, automargin: true, showgrid: false,
                 zeroline: false, ticktext: themes.map(function (t, i) {
                   return wrap(t.title, narrow ? 14 : 24) + " (" + c.rows[i].length + ")"; }) }
      };
      var i = themes.map(function (t) { return t.id; }).indexOf(state.row);
      var j = c.columns.map(function (col) { return col.id; }).indexOf(state.col);
      if (i !== -1 || j !== -1) {  // outline the selected cell, row or column
        layout.shapes = [{ type: "rect", xref: "x", yref: "y", line: { color: fg, width: 3 },
          x0: j === -1 ? -0.5 : j - 0.5, x1: j === -1 ? c.columns.length - 0.5 : j + 0.5,
          y0: i === -1 ? -0.5 : i - 0.5, y1: i === -1 ? themes.length - 0.5 : i + 0.5 }];
      }
      chart.style.width = width + "px";
      window.Plotly.react(chart, traces, layout, { displayModeBar: false, responsive: false, scrollZoom: false,
                                                   doubleClick: false, showTips: false });
      if (!chart.dataset.emClick) {
        chart.dataset.emClick = "1";
        chart.on("plotly_click", function (event) {
          var p = event.points && event.points[0];
          if (!p) return;
          var current = count();
          select(themes[p.y].id, current.columns[p.x].id);
        });
      }
    }

    function syncControls() {
      byField.value = state.by;
      filterDims.forEach(function (d) {
        var chosen = state.filters[d.id] || [];
        boxes[d.id].inputs.forEach(function (input) { input.checked = chosen.indexOf(input.value) !== -1; });
        boxes[d.id].summary.textContent = d.label + (chosen.length ? " (" + chosen.length + ")" : "");
      });
      fromField.value = state.from === null ? minYear : state.from;
      toField.value = state.to === null ? maxYear : state.to;
      clear.hidden = !filtered();
    }

    function render() {
      var c = count();
      syncControls();
      // No study passes: say so and offer to clear, rather than a grid of zeros that would read as gaps.
      var none = !c.total.length && filtered();
      if (none) status.replaceChildren(el("strong", { text: "No studies match these filters." }));
      else status.textContent = c.total.length + " of " + studiesText(studies.length);
      empty.hidden = !none;
      [tableBox, hint, selection].forEach(function (part) { part.hidden = none; });
      chartBox.hidden = chartNote.hidden = none || !window.Plotly;
      if (none) { announce.textContent = ""; return; }
      drawTable(c);
      drawSelection(c);
      drawChart(c);
    }

    state = readURL();
    render();
    window.addEventListener("popstate", function () { state = readURL(); render(); });
    // Material's palette toggle changes the colours the chart is drawn with.
    new MutationObserver(function () { drawChart(count()); })
      .observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    var resized = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(resized);
      resized = window.setTimeout(function () { drawChart(count()); }, 150);
    });
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(setup);
  else document.addEventListener("DOMContentLoaded", setup);
})();
