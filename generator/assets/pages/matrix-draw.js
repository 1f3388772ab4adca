// Evidence and gap map, 1 of 4 (paths.MATRIX_SCRIPTS gives the order): drawing. One table in every view — bubbles,
// a heat map or numbers — with its key; the table is the chart. Shared helpers (el, svg, studiesText) start here.
(function (M) {
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
  var BOX = 34, R_MAX = 15, R_MIN = 4;  // a bubble's box and radii, px: never so small that it looks empty

  function drawing(ctx) {
    // review.yml's description of a value (a code, category, theme or rating), or of a dimension: undefined if none
    function descOf(d, key) { return d.desc ? d.desc[ctx.idOf(d, key)] : undefined; }
    function descId(d, key) { return "em-desc-" + d.index + "-" + key; }
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
      var b = button(axis === "row" ? id : null, axis === "col" ? id : null, [document.createTextNode(label)],
                     label + ": " + studiesText(total), st);
      if (descOf(d, line.key)) b.setAttribute("aria-describedby", descId(d, line.key));  // its entry in the key
      out.push(b);
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
        (c.S ? "; its colours split them by " + c.S.label.toLowerCase() +
         (c.S.one ? "" : " (a study with two values is in both)") : "") + "."
        : st.view === "heat" ? "The more a cell stands out from the page, the more studies it holds." : "Each cell gives its number of studies" +
        (c.S ? ", then how many have each " + c.S.label.toLowerCase() + " (colours as in the key)" : "") + ".";
      box.appendChild(el("p", { "class": "em-muted em-chart-note", text: note +
        (c.S ? " Select a colour in the key to list those studies." : "") }));
      about(box, [c.R, c.C, c.S]);
    }
    // What the rows, columns and colours mean, from review.yml's descriptions: folded under the key, and each
    // heading's accessible description (aria-describedby) is its entry here, so a screen reader hears it too.
    function about(box, shown) {
      var list = el("dl", { "class": "em-about-list" });
      shown.filter(function (d, i) { return d && shown.indexOf(d) === i; }).forEach(function (d) {
        var keys = [];
        for (var key = 0; key < d.nrKey; key += 1) if (descOf(d, key)) keys.push(key);
        if (!d.about && !keys.length) return;
        list.appendChild(el("dt", { "class": "em-about-dim", text: d.label }));
        if (d.about) list.appendChild(el("dd", { text: d.about }));
        keys.forEach(function (key) {
          list.appendChild(el("dt", { text: ctx.labelOf(d, key) }));
          list.appendChild(el("dd", { id: descId(d, key), text: descOf(d, key) }));
        });
      });
      if (!list.children.length) return;
      box.appendChild(el("details", { "class": "em-about" }, [
        el("summary", { text: "What the " + (shown[2] ? "rows, columns and colours" : "rows and columns") + " mean" }),
        list]));
    }
    return { table: table, legend: legend };
  }

  M.el = el;
  M.svg = svg;
  M.studiesText = studiesText;
  M.drawing = drawing;
})(window.emMatrix = window.emMatrix || {});
