// Evidence and gap map, 2 of 4: the studies of a selection, listed a page at a time, and their downloads (CSV, RIS).
(function (M) {
  "use strict";
  var el = M.el, studiesText = M.studiesText;
  var LIST_PAGE = 200;  // studies listed at a time

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

  // ------------------------------------------------------------------ the list of a selection
  // ctx: the page's data and model (model.js), the boxes it fills (selection, announce) and change(update).
  function lister(ctx) {
    var data = ctx.data, m = ctx.model, selection = ctx.selection, announce = ctx.announce, change = ctx.change;
    var dims = m.dims, N = m.N, NR = m.NR, labelOf = m.labelOf, members = m.members, link = m.link;
    function drawSelection(c, state) {
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
      // what the selected values mean, from review.yml, under the heading
      var meant = el("dl", { "class": "em-about-list em-selection-about" });
      [[c.R, state.row], [c.C, state.col], [c.S, state.seg]].forEach(function (p) {
        var text = p[0] && p[1] !== null && p[0].desc ? p[0].desc[p[1]] : null;
        if (!text) return;
        meant.appendChild(el("dt", { text: labelOf(p[0], p[0].keyOf[p[1]]) }));
        meant.appendChild(el("dd", { text: text }));
      });
      if (meant.children.length) selection.appendChild(meant);
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
    return drawSelection;
  }

  M.lister = lister;
})(window.emMatrix = window.emMatrix || {});
