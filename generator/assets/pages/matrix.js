// Evidence and gap map: any dimension in rows × any in columns, each cell split by a third (coloured segments), as
// bubbles, a heat map or a table of numbers — one keyboard-operable table in every view, so the table is the chart.
// Categories of grouped facets open and close on both axes. Selecting a cell, a heading or a segment lists its
// studies. The whole view lives in the URL (the parameter names come from the page data, data.params, spelled in
// generator/outputs/matrix_data.py), so it can be shared, and the back button steps through changes.
// Counting rules: see generator/outputs/matrix.py. Every link comes from the page data (data.urls): no path here.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

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
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    return node;
  }
  function studiesText(n) { return n + (n === 1 ? " study" : " studies"); }

  // ------------------------------------------------------------------ the table, in each view
  // One table in every view: a cell's button holds a bubble (its area the number of completed studies, split into
  // coloured segments), a heat colour with the number, or the number with its breakdown. A gap is hatched and says
  // so, in words, to screen readers; ongoing studies are counted apart ("+2").
  var HEAT_STEPS = 5;
  var LIST_PAGE = 200;  // studies listed at a time
  var BOX = 34, R_MAX = 15, R_MIN = 4;  // a bubble's box and radii, px: never so small that it looks empty

  function drawing(ctx) {
    function wedge(cx, cy, r, from, to, colour, seg) {
      var a0 = 2 * Math.PI * from - Math.PI / 2, a1 = 2 * Math.PI * to - Math.PI / 2;
      var d = "M" + cx + " " + cy + "L" + (cx + r * Math.cos(a0)).toFixed(2) + " " + (cy + r * Math.sin(a0)).toFixed(2) +
        "A" + r + " " + r + " 0 " + (to - from > 0.5 ? 1 : 0) + " 1 " + (cx + r * Math.cos(a1)).toFixed(2) + " " +
        (cy + r * Math.sin(a1)).toFixed(2) + "Z";
      return svg("path", { d: d, fill: colour, "data-seg": seg });
    }
    function bubble(n, max, parts) {  // parts: [[count, colour, id]] of the segments, in the split's order
      var box = svg("svg", { width: BOX, height: BOX, viewBox: "0 0 " + BOX + " " + BOX, "aria-hidden": "true",
                             focusable: "false", "class": "em-bubble" });
      var c = BOX / 2;
      if (!n) {
        box.appendChild(svg("circle", { cx: c, cy: c, r: R_MIN, "class": "em-bubble-gap" }));
        return box;
      }
      var r = Math.max(R_MIN, R_MAX * Math.sqrt(n / max));
      var sum = parts.reduce(function (a, p) { return a + p[0]; }, 0);
      var shown = parts.filter(function (p) { return p[0]; });
      if (shown.length <= 1) {
        box.appendChild(svg("circle", shown.length ? { cx: c, cy: c, r: r, fill: shown[0][1], "data-seg": shown[0][2] }
                                                   : { cx: c, cy: c, r: r, "class": "em-bubble-one" }));
      } else {
        var at = 0;
        shown.forEach(function (p) { box.appendChild(wedge(c, c, r, at / sum, (at + p[0]) / sum, p[1], p[2])); at += p[0]; });
      }
      box.appendChild(svg("circle", { cx: c, cy: c, r: r, "class": "em-bubble-edge" }));
      return box;
    }
    function parts(c, at) {
      if (!c.S) return [];
      var out = [];
      for (var t = 0; t < c.ns; t += 1) {
        out.push([c.seg[at * c.ns + t], c.S.colours[t], ctx.idOf(c.S, ctx.topKey(c.S, t)), ctx.labelOf(c.S, ctx.topKey(c.S, t))]);
      }
      return out;
    }
    function later(n) { return n ? el("span", { "class": "em-later", text: "+" + n }) : null; }

    function cell(c, view, rk, ck, max) {
      var at = rk * c.C.size + ck, n = c.done[at], k = c.later[at], p = parts(c, at);
      var content = [];
      if (view === "bubble") content.push(bubble(n, max, p), el("span", { "class": "em-n", text: n }));
      else content.push(el("span", { "class": "em-n", text: n }));
      content.push(later(k));
      if (view === "table" && n && p.length) {
        var breakdown = el("span", { "class": "em-breakdown" });
        p.forEach(function (q) {
          if (!q[0]) return;
          breakdown.appendChild(el("span", { "class": "em-seg-n", title: q[3], "data-seg": q[2] }, [
            el("span", { "class": "em-swatch", style: "background:" + q[1] }), document.createTextNode(q[0])]));
        });
        content.push(breakdown);
      }
      var words = (n ? studiesText(n) : "Gap: no " + (k ? "completed " : "") + "studies") + ": " +
        ctx.labelOf(c.R, rk) + ", " + c.C.label + " " + ctx.labelOf(c.C, ck);
      var split = p.filter(function (q) { return q[0]; }).map(function (q) { return q[3] + " " + q[0]; });
      if (split.length) words += " (" + c.S.label + ": " + split.join(", ") + ")";
      if (k) words += "; " + k + " ongoing";
      var step = n ? Math.max(1, Math.ceil(HEAT_STEPS * n / max)) : 0;
      return { content: content, label: words, gap: !n, step: step };
    }

    function button(row, col, content, label, st) {
      var pressed = st.row === row && st.col === col && (row !== null || col !== null);
      var b = el("button", { type: "button", "class": "em-cell", "aria-label": label,
                             "aria-pressed": pressed ? "true" : "false", tabindex: "-1" }, content);
      if (row !== null) b.dataset.row = row;
      if (col !== null) b.dataset.col = col;
      b.addEventListener("click", function (event) {
        var part = event.target.closest ? event.target.closest("[data-seg]") : null;
        ctx.select(row, col, part && row !== null && col !== null ? part.dataset.seg : null);
      });
      return b;
    }
    function heading(axis, d, line, total, st) {
      var id = ctx.idOf(d, line.key), label = ctx.labelOf(d, line.key);
      var out = [];
      if (line.cat) {
        var t = el("button", { type: "button", "class": "em-toggle", "aria-expanded": line.open ? "true" : "false",
                               "aria-label": (line.open ? "Close " : "Open ") + label + ": list its codes",
                               "data-toggle": id, tabindex: "-1", text: line.open ? "▾" : "▸" });
        t.addEventListener("click", function () { ctx.toggle(axis, id); });
        out.push(t);
      }
      out.push(button(axis === "row" ? id : null, axis === "col" ? id : null, [document.createTextNode(label)],
                      label + ": " + studiesText(total), st));
      return out;
    }

    function table(box, c, st, rowLines, colLines, data) {
      var max = 1;
      rowLines.forEach(function (r) { colLines.forEach(function (q) { max = Math.max(max, c.done[r.key * c.C.size + q.key]); }); });
      var head = el("tr", {}, [el("th", { scope: "col", text: c.R.label })]);
      colLines.forEach(function (q) {
        head.appendChild(el("th", { scope: "col", "class": q.depth ? "em-depth-1" : q.cat ? "em-category" : "" },
                            heading("col", c.C, q, c.colDone[q.key], st)));
      });
      head.appendChild(el("th", { scope: "col", text: "All studies" }));
      var body = el("tbody");
      rowLines.forEach(function (r) {
        var tr = el("tr", { "class": r.depth ? "em-depth-1" : r.cat ? "em-category" : "" },
                    [el("th", { scope: "row" }, heading("row", c.R, r, c.rowDone[r.key], st))]);
        colLines.forEach(function (q) {
          var x = cell(c, st.view, r.key, q.key, max);
          var td = el("td", { "class": (x.gap ? "em-cell-gap" : "") + (st.view === "heat" && x.step ? " em-heat-" + x.step : "") },
                      [button(ctx.idOf(c.R, r.key), ctx.idOf(c.C, q.key), x.content, x.label, st)]);
          tr.appendChild(td);
        });
        tr.appendChild(el("td", { "class": "em-total" }, [document.createTextNode(c.rowDone[r.key]), later(c.rowLater[r.key])]));
        body.appendChild(tr);
      });
      var foot = el("tr", {}, [el("th", { scope: "row", text: c.R.total })]);
      colLines.forEach(function (q) {
        foot.appendChild(el("td", { "class": "em-total" }, [document.createTextNode(c.colDone[q.key]), later(c.colLater[q.key])]));
      });
      foot.appendChild(el("td", { "class": "em-total" }, [document.createTextNode(c.total), later(c.totalLater)]));
      var t = el("table", { "class": "em-matrix-table em-view-" + st.view, "data-em-matrix-table": "",
                            "aria-describedby": "em-matrix-hint" }, [
        el("caption", { text: "Studies by " + c.R.label.toLowerCase() + " and " + c.C.label.toLowerCase() +
                              (c.S ? ", split by " + c.S.label.toLowerCase() : "") }),
        el("thead", {}, [head]), body, el("tfoot", {}, [foot])]);
      var active = document.activeElement;
      var had = box.contains(active) && active.tagName === "BUTTON" ?
        [active.dataset.row || "", active.dataset.col || "", active.dataset.toggle || ""] : null;
      box.replaceChildren(t);
      roving(t, had);
    }

    // One tab stop for the whole table; the arrow keys, Home and End move between its buttons (a heading may hold
    // two: the category's toggle, then the heading). Redrawing keeps the keyboard where it was.
    function roving(t, had) {
      var grid = Array.prototype.map.call(t.rows, function (tr) {
        return Array.prototype.map.call(tr.cells, function (td) { return Array.prototype.slice.call(td.querySelectorAll("button")); });
      });
      var all = t.querySelectorAll("button");
      var again = had ? Array.prototype.filter.call(all, function (b) {
        return (b.dataset.row || "") === had[0] && (b.dataset.col || "") === had[1] && (b.dataset.toggle || "") === had[2];
      })[0] : null;
      var current = again || t.querySelector("button[aria-pressed='true']") || all[0];
      if (current) current.tabIndex = 0;
      if (again) again.focus();
      t.addEventListener("keydown", function (event) {
        var r = -1, k = -1, w = -1;
        grid.forEach(function (cells, i) {
          cells.forEach(function (bs, j) { var x = bs.indexOf(event.target); if (x !== -1) { r = i; k = j; w = x; } });
        });
        if (r === -1) return;
        var target = null, flat = [].concat.apply([], grid[r]), at = flat.indexOf(event.target);
        if (event.key === "ArrowLeft") target = flat[at - 1];
        else if (event.key === "ArrowRight") target = flat[at + 1];
        else if (event.key === "Home") target = flat[0];
        else if (event.key === "End") target = flat[flat.length - 1];
        else if (event.key === "ArrowUp" || event.key === "ArrowDown") {
          for (var i = r + (event.key === "ArrowUp" ? -1 : 1); i >= 0 && i < grid.length && !target; i += event.key === "ArrowUp" ? -1 : 1) {
            var bs = grid[i][k] || [];
            target = bs[Math.min(w, bs.length - 1)] || null;
            if (target && w === 0 && bs.length > 1 && grid[r][k].length === 1) target = bs[bs.length - 1];
          }
        }
        if (!target) return;
        event.preventDefault();
        all.forEach(function (b) { b.tabIndex = -1; });
        target.tabIndex = 0;
        target.focus();
      });
    }

    function legend(box, c, st, data) {
      box.replaceChildren();
      var items = el("ul", { "class": "em-legend-items" });
      if (c.S) {
        items.appendChild(el("li", { "class": "em-legend-title", text: c.S.label + ":" }));
        for (var t = 0; t < c.ns; t += 1) {
          var key = ctx.topKey(c.S, t), id = ctx.idOf(c.S, key);
          if (key === c.S.nrKey && !c.S.unreported) continue;
          var b = el("button", { type: "button", "class": "em-legend-seg", "data-seg": id,
                                 "aria-pressed": st.seg === id ? "true" : "false" }, [
            el("span", { "class": "em-swatch", style: "background:" + c.S.colours[t] }),
            document.createTextNode(ctx.labelOf(c.S, key))]);
          b.addEventListener("click", function (event) {
            var seg = event.currentTarget.dataset.seg;
            ctx.select(st.row, st.col, st.seg === seg ? null : seg);
          });
          items.appendChild(el("li", {}, [b]));
        }
      }
      items.appendChild(el("li", {}, [el("span", { "class": "em-swatch em-swatch-gap" }),
                                      document.createTextNode("Gap: no " + (data.status ? "completed " : "") + "studies")]));
      if (data.status) {
        items.appendChild(el("li", {}, [el("span", { "class": "em-later", text: "+n" }),
                                        document.createTextNode(" ongoing studies, not in the counts")]));
      }
      box.appendChild(items);
      var note = st.view === "bubble" ? "A bubble's area is the number of studies in its cell" +
        (c.S ? "; its colours split them by " + c.S.label.toLowerCase() + " (a study with two values is in both)" : "") + "."
        : st.view === "heat" ? "Darker cells hold more studies." : "Each cell gives its number of studies" +
        (c.S ? ", then how many have each " + c.S.label.toLowerCase() + " (colours as in the key)" : "") + ".";
      box.appendChild(el("p", { "class": "em-muted em-chart-note", text: note +
        (c.S ? " Select a colour in the key to list those studies." : "") }));
    }
    return { table: table, legend: legend };
  }

  // ------------------------------------------------------------------ downloads of the listed studies
  // The details (authors, journal, DOI…) come from the site's studies.json, fetched on the first download:
  // the page's own data stays small.
  var full = null;
  function withStudies(url, then) {
    if (full) { then(full); return; }
    window.fetch(url).then(function (r) { return r.json(); }).then(function (json) {
      full = { facets: json.facets, byId: {} };
      json.studies.forEach(function (s) { full.byId[s.id] = s; });
      then(full);
    });
  }
  function csvCell(value) {
    var text = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;  // a spreadsheet would run it as a formula
    return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  function codeLabels(facet) {  // code id -> label, the codes inside categories too
    var out = {};
    Object.keys(facet.values).forEach(function (id) {
      var v = facet.values[id];
      if (typeof v === "string") out[id] = v;
      else if (v.values) Object.keys(v.values).forEach(function (c) { out[c] = v.values[c].label || v.values[c]; });
      else out[id] = v.label;
    });
    return out;
  }
  function asCsv(rows, facets) {
    var ids = Object.keys(facets), labels = {};
    ids.forEach(function (f) { labels[f] = codeLabels(facets[f]); });
    var head = ["id", "title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "url", "countries"]
      .concat(ids, ["themes"]);
    var lines = [head.join(",")];
    rows.forEach(function (s) {
      var values = [s.id, s.title, s.authors.join("; "), s.year, s.journal, s.volume, s.issue, s.pages, s.doi,
                    s.url, s.countries.join("; ")];
      ids.forEach(function (f) {
        var v = s.facets[f];
        values.push((v === null || v === undefined ? [] : [].concat(v)).map(function (x) { return labels[f][x] || x; }).join("; "));
      });
      values.push(Object.keys(s.themes).join("; "));
      lines.push(values.map(csvCell).join(","));
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
  function download(list, kind, name, urls) {
    withStudies(urls.studies_json, function (f) {
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
  function downloadButtons(list, name, what, urls) {
    var box = el("p", { "class": "em-cite-actions" }, [document.createTextNode("Download " + what + ": ")]);
    [["csv", "CSV"], ["ris", "RIS"]].forEach(function (k) {
      var b = el("button", { type: "button", "class": "md-button em-clear", "data-em-download": k[0], text: k[1] });
      b.addEventListener("click", function () { download(list, k[0], name, urls); });
      box.appendChild(b);
    });
    return box;
  }

  function setup() {
    var root = document.getElementById("em-matrix");
    var source = document.getElementById("em-matrix-data");
    if (!root || !source || root.dataset.emReady) return;
    root.dataset.emReady = "1";
    var data = JSON.parse(source.textContent);
    var P = data.params;
    var NR = data.nr;
    var dims = {};
    var studies = data.studies.map(function (s) {
      return { id: s[0], label: s[1], title: s[2], year: s[3], v: s[4].map(function (x) {
        return typeof x === "number" ? [x] : x; }) };
    });
    var N = studies.length;

    // A dimension's lines are numbered: its codes 0…n-1, its categories n…n+k-1, "not reported" n+k.
    data.dims.forEach(function (d, i) {
      d.index = i; d.n = d.values.length; d.cats = d.cats || [];
      d.nr = d.nr; d.nrKey = d.n + d.cats.length; d.size = d.nrKey + 1;
      d.order = d.order || d.values.map(function (v, j) { return j; });
      d.catOf = d.values.map(function () { return -1; });
      d.cats.forEach(function (c, k) { c[2].forEach(function (j) { d.catOf[j] = k; }); });
      d.keyOf = {};
      d.values.forEach(function (v, j) { d.keyOf[v[0]] = j; });
      d.cats.forEach(function (c, k) { d.keyOf[c[0]] = d.n + k; });
      d.keyOf[NR] = d.nrKey;
      // the top-level values (a split's segments): position in `order` of each code, category or "not reported"
      d.topOf = new Int32Array(d.size);
      d.order.forEach(function (o, t) {
        if (o < 0) { d.topOf[d.n - 1 - o] = t; d.cats[-1 - o][2].forEach(function (j) { d.topOf[j] = t; }); }
        else d.topOf[o] = t;
      });
      d.topOf[d.nrKey] = d.order.length;
      d.unreported = studies.some(function (s) { return !s.v[i].length; });
      dims[d.id] = d;
    });
    function idOf(d, key) {
      return key < d.n ? d.values[key][0] : key < d.nrKey ? d.cats[key - d.n][0] : NR;
    }
    function labelOf(d, key) {
      return key < d.n ? d.values[key][1] : key < d.nrKey ? d.cats[key - d.n][1] : d.nr;
    }
    function topKey(d, t) {  // the line key of a top-level value
      if (t >= d.order.length) return d.nrKey;
      var o = d.order[t];
      return o < 0 ? d.n - 1 - o : o;
    }
    // A study's lines in a dimension (its codes, then their categories once each) and its segments, made once.
    function keysOf(d, s) {
      var cache = d.keys || (d.keys = new Array(N));
      var i = s.at;
      if (cache[i]) return cache[i];
      var codes = s.v[d.index];
      var out = codes.slice();
      codes.forEach(function (j) {
        var k = d.catOf[j];
        if (k !== -1 && out.indexOf(d.n + k) === -1) out.push(d.n + k);
      });
      if (!out.length) out.push(d.nrKey);
      cache[i] = out;
      return out;
    }
    function topsOf(d, s) {
      var cache = d.tops || (d.tops = new Array(N));
      var i = s.at;
      if (cache[i]) return cache[i];
      var out = [];
      s.v[d.index].forEach(function (j) { var t = d.topOf[j]; if (out.indexOf(t) === -1) out.push(t); });
      if (!out.length) out.push(d.order.length);
      cache[i] = out;
      return out;
    }
    var ongoing = new Uint8Array(N);
    studies.forEach(function (s, i) {
      s.at = i;
      if (data.status) {
        var st = dims[data.status.dim];
        ongoing[i] = s.v[st.index].some(function (j) { return data.status.ongoing.indexOf(j) !== -1; }) ? 1 : 0;
      }
    });
    var minYear = Math.min.apply(null, studies.map(function (s) { return s.year; }));
    var maxYear = Math.max.apply(null, studies.map(function (s) { return s.year; }));
    var filterDims = data.dims.filter(function (d) { return d.id !== "year" && d.id !== "themes"; });
    function link(around, id) { return around[0] + id + around[1]; }  // data.urls.study or .theme, and an id

    // ------------------------------------------------------------------ state <-> URL
    var state;
    function list(params, name, d) {  // comma-separated ids of a dimension's lines, unknown ones dropped
      var raw = params.get(name);
      return raw ? raw.split(",").filter(function (v) { return d && v in d.keyOf; }) : [];
    }
    function readURL() {
      var q = new URLSearchParams(window.location.search);
      function pick(name, choices, fallback) { var v = q.get(name); return choices.indexOf(v) !== -1 ? v : fallback; }
      var s = { rows: pick(P.rows, data.rows, data.rows[0]), cols: pick(P.columns, data.columns, data.columns[0]),
                split: pick(P.split, data.segments.concat([data.none]), data.segments[0] || data.none),
                filters: {}, from: null, to: null };
      if (s.split === data.none) s.split = null;
      s.view = pick(P.view, data.views, s.split ? "bubble" : "heat");
      s.openRows = list(q, P.open_rows, dims[s.rows]);
      s.openCols = list(q, P.open_cols, dims[s.cols]);
      filterDims.forEach(function (d) {
        var chosen = list(q, P.filter + d.id, d);
        if (chosen.length) s.filters[d.id] = chosen;
      });
      var from = parseInt(q.get(P.from), 10), to = parseInt(q.get(P.to), 10);
      if (from > minYear && from <= maxYear) s.from = from;
      if (to >= minYear && to < maxYear) s.to = to;
      s.row = list(q, P.row, dims[s.rows])[0] || null;
      s.col = list(q, P.col, dims[s.cols])[0] || null;
      s.seg = s.split ? list(q, P.seg, dims[s.split])[0] || null : null;
      return s;
    }
    function writeURL() {
      var q = new URLSearchParams();
      var split = state.split || data.none;
      if (state.rows !== data.rows[0]) q.set(P.rows, state.rows);
      if (state.cols !== data.columns[0]) q.set(P.columns, state.cols);
      if (split !== (data.segments[0] || data.none)) q.set(P.split, split);
      if (state.view !== (state.split ? "bubble" : "heat")) q.set(P.view, state.view);
      if (state.openRows.length) q.set(P.open_rows, state.openRows.join(","));
      if (state.openCols.length) q.set(P.open_cols, state.openCols.join(","));
      filterDims.forEach(function (d) {
        if (state.filters[d.id] && state.filters[d.id].length) q.set(P.filter + d.id, state.filters[d.id].join(","));
      });
      if (state.from !== null) q.set(P.from, state.from);
      if (state.to !== null) q.set(P.to, state.to);
      ["row", "col", "seg"].forEach(function (k) { if (state[k]) q.set(P[k], state[k]); });
      var query = q.toString().replace(/%2C/g, ",");
      var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      if (url !== window.location.pathname + window.location.search + window.location.hash) {
        window.history.pushState(null, "", url);
      }
    }
    function viewKey(s) {
      return JSON.stringify([s.rows, s.cols, s.split, s.view, s.openRows, s.openCols, s.filters, s.from, s.to]);
    }
    function change(update) {
      var before = viewKey(state);
      update(state);
      writeURL();
      if (viewKey(state) === before) { drawSelection(counted()); markPressed(); }
      else render();
    }

    // ------------------------------------------------------------------ counting
    function passes(s) {
      if (state.from !== null && s.year < state.from) return false;
      if (state.to !== null && s.year > state.to) return false;
      return filterDims.every(function (d) {
        var wanted = state.filters[d.id];
        if (!wanted || !wanted.length) return true;
        return keysOf(d, s).some(function (k) { return wanted.indexOf(idOf(d, k)) !== -1; });
      });
    }
    var memo = { key: null, c: null };
    function counted() {  // the counts of the current view, made again only when rows, columns, split or filters change
      var key = JSON.stringify([state.rows, state.cols, state.split, state.filters, state.from, state.to]);
      if (memo.key !== key) { memo.key = key; memo.c = count(); }
      return memo.c;
    }
    function count() {
      var R = dims[state.rows], C = dims[state.cols], S = state.split ? dims[state.split] : null;
      var nc = C.size, ns = S ? S.order.length + 1 : 0;
      var c = { R: R, C: C, S: S, pass: [], done: new Int32Array(R.size * nc), later: new Int32Array(R.size * nc),
                seg: new Int32Array(R.size * nc * ns), rowDone: new Int32Array(R.size), rowLater: new Int32Array(R.size),
                colDone: new Int32Array(nc), colLater: new Int32Array(nc), total: 0, totalLater: 0, ns: ns };
      studies.forEach(function (s) {
        if (!passes(s)) return;
        c.pass.push(s);
        var rk = keysOf(R, s), ck = keysOf(C, s), og = ongoing[s.at];
        var sk = S && !og ? topsOf(S, s) : null;
        var cells = og ? c.later : c.done, rows = og ? c.rowLater : c.rowDone, cols = og ? c.colLater : c.colDone;
        if (og) c.totalLater += 1; else c.total += 1;
        for (var b = 0; b < ck.length; b += 1) cols[ck[b]] += 1;
        for (var a = 0; a < rk.length; a += 1) {
          rows[rk[a]] += 1;
          for (b = 0; b < ck.length; b += 1) {
            var at = rk[a] * nc + ck[b];
            cells[at] += 1;
            if (sk) for (var t = 0; t < sk.length; t += 1) c.seg[at * ns + sk[t]] += 1;
          }
        }
      });
      return c;
    }
    // The lines shown: every top-level value, a category's codes under it when it is open, "not reported" last.
    function lines(d, open) {
      var out = [];
      d.order.forEach(function (o) {
        if (o >= 0) { out.push({ key: o, depth: 0 }); return; }
        var k = -1 - o, isOpen = open.indexOf(d.cats[k][0]) !== -1;
        out.push({ key: d.n + k, depth: 0, cat: d.cats[k][0], open: isOpen });
        if (isOpen) d.cats[k][2].forEach(function (j) { out.push({ key: j, depth: 1 }); });
      });
      if (d.unreported) out.push({ key: d.nrKey, depth: 0 });
      return out;
    }
    function members(c, row, col, seg) {  // the studies behind a selection, completed and ongoing apart
      var R = c.R, C = c.C, S = c.S;
      var rk = row === null ? -1 : R.keyOf[row], ck = col === null ? -1 : C.keyOf[col];
      var sk = seg === null || !S ? -1 : S.topOf[S.keyOf[seg]];
      var out = { done: [], later: [] };
      c.pass.forEach(function (s) {
        if (rk !== -1 && keysOf(R, s).indexOf(rk) === -1) return;
        if (ck !== -1 && keysOf(C, s).indexOf(ck) === -1) return;
        if (sk !== -1 && (ongoing[s.at] || topsOf(S, s).indexOf(sk) === -1)) return;
        (ongoing[s.at] ? out.later : out.done).push(s);
      });
      return out;
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
    // ------------------------------------------------------------------ drawing
    var draw = drawing({ idOf: idOf, labelOf: labelOf, topKey: topKey, select: select, toggle: toggle });
    function render() {
      var c = counted();
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
      drawSelection(c);
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

    function drawSelection(c) {
      selection.replaceChildren();
      if (state.row === null && state.col === null && state.seg === null) {
        announce.textContent = "";
        selection.appendChild(el("h2", { id: "em-selection-title", text: "Studies" }));
        selection.appendChild(el("p", { "class": "em-muted",
          text: "Select a cell, a heading or a segment to list its studies." }));
        if (c.pass.length) {
          selection.appendChild(downloadButtons(c.pass, "studies-filtered", c.pass.length === N ?
            "all " + studiesText(N) : "the " + studiesText(c.pass.length) + " that pass the filters", data.urls));
        }
        return;
      }
      var found = members(c, state.row, state.col, state.seg);
      var parts = [];
      if (state.row !== null) {
        var rowLabel = labelOf(c.R, c.R.keyOf[state.row]);
        parts.push(c.R.id === "themes" && state.row !== NR ? rowLabel : c.R.label + ": " + rowLabel);
      }
      if (state.col !== null) parts.push(c.C.label + ": " + labelOf(c.C, c.C.keyOf[state.col]));
      if (state.seg !== null) parts.push(c.S.label + ": " + labelOf(c.S, c.S.keyOf[state.seg]));
      var title = parts.join(" × ") + " — " + studiesText(found.done.length) +
        (found.later.length ? " and " + found.later.length + " ongoing" : "");
      selection.appendChild(el("h2", { id: "em-selection-title", text: title }));
      announce.textContent = "Listed below the table: " + title;
      if (c.R.id === "themes" && state.row !== null && state.row !== NR) {
        selection.appendChild(el("p", {}, [el("a", { href: link(data.urls.theme, state.row),
          text: "Read the synthesis: " + labelOf(c.R, c.R.keyOf[state.row]) })]));
      }
      var primary = data.primary ? dims[data.primary] : null;
      // A long list is drawn a page at a time: a column of a big map holds thousands of studies.
      function studyList(items, gap) {
        var ul = el("ul", { "class": "em-study-list" });
        function add(from) {
          items.slice(from, from + LIST_PAGE).forEach(function (s) {
            var kind = primary ? s.v[primary.index].map(function (j) { return primary.values[j][1]; }).join(", ") : "";
            ul.appendChild(el("li", {}, [el("a", { href: link(data.urls.study, s.id), text: s.label }),
              document.createTextNode(" — " + s.title), kind ? el("span", { "class": "em-muted", text: " · " + kind }) : null]));
          });
          if (from + LIST_PAGE >= items.length) return;
          var more = el("button", { type: "button", "class": "md-button em-clear",
                                    text: "Show " + Math.min(LIST_PAGE, items.length - from - LIST_PAGE) + " more of " + items.length });
          var li = el("li", {}, [more]);
          more.addEventListener("click", function () {
            li.remove();
            var next = ul.children.length;
            add(from + LIST_PAGE);
            if (ul.children[next]) ul.children[next].querySelector("a").focus();
          });
          ul.appendChild(li);
        }
        add(0);
        if (!items.length && gap) ul.appendChild(el("li", { "class": "em-muted", text: gap }));
        return ul;
      }
      selection.appendChild(studyList(found.done, data.status ? "No completed studies: a gap in the evidence." :
                                                                "No studies: a gap in the evidence."));
      if (found.later.length) {
        selection.appendChild(el("h3", { text: "Ongoing (" + found.later.length + "), not in the counts" }));
        selection.appendChild(studyList(found.later));
      }
      var all = found.done.concat(found.later);
      if (all.length) {
        var slug = [state.row, state.col, state.seg].filter(Boolean).join("-").replace(/[^A-Za-z0-9-]+/g, "-");
        selection.appendChild(downloadButtons(all, "studies-" + (slug || "selected"),
                                                       "these " + studiesText(all.length), data.urls));
      }
      var done = el("button", { type: "button", "class": "md-button em-clear", text: "Clear selection" });
      done.addEventListener("click", function () { change(function (s) { s.row = null; s.col = null; s.seg = null; }); });
      selection.appendChild(done);
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

    state = readURL();
    render();
    window.addEventListener("popstate", function () { state = readURL(); render(); });
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(setup);
  else document.addEventListener("DOMContentLoaded", setup);
})();
