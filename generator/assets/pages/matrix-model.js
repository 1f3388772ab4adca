// Evidence and gap map, 3 of 4: the model. The page data decoded (each dimension's lines numbered), the view's
// state read from and written to the URL (parameter names from data.params, spelled in outputs/matrix_data.py),
// and the counting, whose rules are generator/outputs/matrix.py's. Every link comes from data.urls: no path here.
(function (M) {
  "use strict";
  function model(data) {
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
    function writeURL(state) {
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

    // ------------------------------------------------------------------ counting
    function passes(s, state) {
      if (state.from !== null && s.year < state.from) return false;
      if (state.to !== null && s.year > state.to) return false;
      return filterDims.every(function (d) {
        var wanted = state.filters[d.id];
        if (!wanted || !wanted.length) return true;
        return keysOf(d, s).some(function (k) { return wanted.indexOf(idOf(d, k)) !== -1; });
      });
    }
    var memo = { key: null, c: null };
    function counted(state) {  // the counts of the current view, made again only when rows, columns, split or filters change
      var key = JSON.stringify([state.rows, state.cols, state.split, state.filters, state.from, state.to]);
      if (memo.key !== key) { memo.key = key; memo.c = count(state); }
      return memo.c;
    }
    function count(state) {
      var R = dims[state.rows], C = dims[state.cols], S = state.split ? dims[state.split] : null;
      var nc = C.size, ns = S ? S.order.length + 1 : 0;
      var c = { R: R, C: C, S: S, pass: [], done: new Int32Array(R.size * nc), later: new Int32Array(R.size * nc),
                seg: new Int32Array(R.size * nc * ns), rowDone: new Int32Array(R.size), rowLater: new Int32Array(R.size),
                colDone: new Int32Array(nc), colLater: new Int32Array(nc), total: 0, totalLater: 0, ns: ns };
      studies.forEach(function (s) {
        if (!passes(s, state)) return;
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
    return { P: P, NR: NR, dims: dims, studies: studies, N: N, idOf: idOf, labelOf: labelOf, topKey: topKey,
             keysOf: keysOf, topsOf: topsOf, ongoing: ongoing, minYear: minYear, maxYear: maxYear,
             filterDims: filterDims, link: link, readURL: readURL, writeURL: writeURL, viewKey: viewKey,
             counted: counted, lines: lines, members: members };
  }

  M.model = model;
})(window.emMatrix = window.emMatrix || {});
