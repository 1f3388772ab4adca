// Studies index: filter (text box and one select per facet) and sort (column buttons).
// Plain script, served from the site itself; without it the table (and, in a big map, its pages) is still there.
// A big map lists its studies over several pages; there, the first filter or sort fetches every row
// (studies/index.json, named by the table's data-em-rows) and works over all of them, showing PAGE at a time.
// A country typed in the text box ("UK", "England", "USA") matches the studies from that country: the names each
// country goes by come from country-names.json beside this script (written by the generator from pycountry).
(function () {
  "use strict";
  var PAGE = 100;
  var COUNTRIES = 2; // the Countries column, as the pages and build() below write the rows
  var script = document.currentScript;
  var NAMES_URL = script && script.src ? new URL("country-names.json", script.src).href : null;

  function number(n) { return n.toLocaleString("en-GB"); }

  // As the generator folds the names (outputs/search.py, fold): lower case, no accents, single spaces.
  function fold(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function wordIn(word) {
    var escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp("(?:^|[^\\p{L}\\p{N}])" + escaped + "(?:$|[^\\p{L}\\p{N}])", "u");
  }

  var countryNames = null; // {name a reader may type: [countries as the table shows them]}, once fetched
  var namesLoading = null;
  function loadNames() {
    if (!namesLoading) {
      namesLoading = (NAMES_URL ? fetch(NAMES_URL) : Promise.reject(new Error("no script address")))
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .catch(function () { return {}; }) // without the names, the box matches the rows' text only
        .then(function (data) { countryNames = data; });
    }
    return namesLoading;
  }

  function setup() {
    var table = document.getElementById("em-studies");
    var panel = document.querySelector("[data-em-table='em-studies']");
    if (!table || !panel || table.dataset.emReady) return;
    table.dataset.emReady = "1";
    panel.hidden = false;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var total = Number(table.dataset.emTotal) || rows.length;
    var rowsUrl = table.dataset.emRows;
    var all = !rowsUrl; // whether `rows` holds every study
    var loading = null;
    var partial = false; // the rows could not be fetched: this page's rows only
    var limit = PAGE;
    var count = panel.querySelector("[data-em-count]");
    var controls = panel.querySelectorAll("[data-em-filter]");
    var wrap = table.closest(".em-table-wrap") || table;
    var more = document.createElement("button");
    more.type = "button";
    more.className = "md-button em-more";
    more.hidden = true;
    wrap.insertAdjacentElement("afterend", more);
    more.addEventListener("click", function () { limit += PAGE; show(); });

    function text(tag, value, className) {
      var el = document.createElement(tag);
      el.textContent = value;
      if (className) el.className = className;
      return el;
    }

    // After a value the map's authors inferred (its field is among the row's `inferred`), the label the pages write;
    // the cell sorts and matches countries by the value alone.
    function markInferred(td, inferred, field) {
      if (inferred.indexOf(field) === -1) return;
      td.dataset.value = td.textContent;
      var label = text("span", "inferred", "em-inferred");
      label.title = table.dataset.emInferred || "";
      td.append(" ", label);
    }

    // Rows as the pages write them, built with textContent only: nothing in the data is read as markup.
    // The appraisal (a rating per study) comes as one more facet under this key, and sorts by its menu's order.
    var APPRAISAL = "_appraisal";
    function build(data) {
      var labels = {};
      var order = {};
      data.facets.forEach(function (facet) {
        labels[facet] = {};
        order[facet] = {};
        var select = panel.querySelector("[data-em-filter='" + facet + "']");
        Array.prototype.forEach.call(select ? select.options : [], function (o, i) {
          labels[facet][o.value] = o.textContent;
          order[facet][o.value] = i;
        });
      });
      var prefix = table.dataset.emPrefix || "";
      var suffix = table.dataset.emSuffix || "";  // "/" or ".html": the build's URL style (outputs/paths.Urls)
      return data.rows.map(function (r) {
        var tr = document.createElement("tr");
        tr.setAttribute("data-country", r[4].join(" ")); // matched by the Country menu, as the pages' rows
        var first = document.createElement("td");
        first.dataset.value = r[1] + ", " + r[3];
        var link = text("a", r[1]);
        link.href = prefix + encodeURIComponent(r[0]) + suffix;
        first.append(link, document.createElement("br"), text("span", r[2], "em-muted"));
        var inferred = r[6 + data.facets.length] || []; // the study's inferred fields, when it has some
        var countries = text("td", r[4].map(function (c) { return data.countries[c] || c; }).join(", "));
        markInferred(countries, inferred, "countries");
        tr.append(first, text("td", String(r[3])), countries);
        data.facets.forEach(function (facet, i) {
          var ids = r[6 + i];
          tr.setAttribute("data-" + facet, ids);
          var td = document.createElement("td");
          if (facet === APPRAISAL) td.dataset.value = String(order[facet][ids] - 1).padStart(2, "0");
          // the "-" option's words: "not reported", or "not appraised"
          if (ids === "-") td.appendChild(text("span", (labels[facet]["-"] || "not reported").toLowerCase(), "em-nr"));
          else {
            td.textContent = ids.split(" ").map(function (v) { return labels[facet][v] || v; }).join(", ");
            markInferred(td, inferred, "facets." + facet);
          }
          tr.appendChild(td);
        });
        tr.appendChild(text("td", r[5].map(function (i) { return data.themes[i]; }).join("; ")));
        return tr;
      });
    }

    // Every study, once: fetched on the first filter or sort in a map listed over several pages.
    function everything() {
      if (all) return Promise.resolve();
      if (!loading) {
        count.textContent = "Loading all " + number(total) + " studies…";
        loading = fetch(rowsUrl)
          .then(function (response) {
            if (!response.ok) throw new Error("HTTP " + response.status);
            return response.json();
          })
          .then(function (data) {
            rows = build(data);
            document.querySelectorAll("[data-em-pager]").forEach(function (nav) { nav.hidden = true; });
          })
          .catch(function () {
            total = rows.length;
            partial = true;
          })
          .then(function () { all = true; });
      }
      return loading;
    }

    // A row from one of `countries` (names as the Countries cell shows them, joined with ", ").
    function fromCountry(row, countries) {
      var cell = row.cells[COUNTRIES]; // data-value: the names without the "inferred" label that may follow them
      var shown = ", " + (cell.dataset.value || cell.textContent).trim() + ", ";
      return countries.some(function (name) { return shown.indexOf(", " + name + ", ") !== -1; });
    }

    function matches() {
      var query = "";
      var wanted = {};
      controls.forEach(function (c) {
        if (c.dataset.emFilter === "text") query = fold(c.value);
        // a category's option stands for any of its codes
        else if (c.value) wanted[c.dataset.emFilter] = (c.selectedOptions[0].dataset.emCodes || c.value).split(" ");
      });
      // A country's name matches its studies, and rows that have it as a word ("US" is not "users").
      var countries = query && countryNames && Object.prototype.hasOwnProperty.call(countryNames, query)
        ? countryNames[query] : null;
      var word = countries ? wordIn(query) : null;
      return rows.filter(function (row) {
        if (query) {
          if (row.emText === undefined) row.emText = fold(row.textContent);
          if (countries ? !fromCountry(row, countries) && !word.test(row.emText)
            : row.emText.indexOf(query) === -1) return false;
        }
        return Object.keys(wanted).every(function (facet) {
          var values = (row.getAttribute("data-" + facet) || "").split(" ");
          return wanted[facet].some(function (value) { return values.indexOf(value) !== -1; });
        });
      });
    }

    function show() {
      var found = matches();
      body.replaceChildren.apply(body, found.slice(0, limit));
      var shown = Math.min(found.length, limit);
      count.textContent = (partial ? "Could not load every study; this page only: " : "") +
        number(found.length) + " of " + number(total) + " studies" +
        (shown < found.length ? ", showing the first " + number(shown) : "");
      more.hidden = shown >= found.length;
      more.textContent = "Show " + number(Math.min(PAGE, found.length - shown)) + " more";
    }

    function apply() {
      limit = PAGE;
      everything().then(show); // at once, with the rows' own text
      if (countryNames === null) loadNames().then(function () { everything().then(show); }); // then with the names
    }
    controls.forEach(function (c) {
      c.addEventListener("input", apply);
      // The country names are fetched when the box is first used, so typing needs no wait for them.
      if (c.dataset.emFilter === "text") c.addEventListener("focus", loadNames, { once: true });
    });

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
        everything().then(function () {
          var keyed = rows.map(function (row) {
            var c = row.cells[index];
            var key = c.dataset.value || c.textContent.trim();
            return { row: row, key: numeric ? Number(key) : key };
          });
          keyed.sort(function (a, b) {
            var order = numeric ? a.key - b.key : a.key.localeCompare(b.key);
            return ascending ? order : -order;
          });
          rows = keyed.map(function (k) { return k.row; });
          limit = PAGE;
          show();
        });
      });
    });
    // A menu's value in the page's address (studies/?f-country=FR, as the world map links to it) is chosen at once.
    var params = new URLSearchParams(window.location.search);
    var chosen = false;
    controls.forEach(function (c) {
      var value = c.tagName === "SELECT" ? params.get("f-" + c.dataset.emFilter) : null;
      if (value && Array.prototype.some.call(c.options, function (o) { return o.value === value; })) {
        c.value = value;
        chosen = true;
      }
    });
    if (chosen) apply();
    else if (all) show();
  }
  // Material's instant navigation swaps pages without reloading: run on each page it shows.
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(setup);
  else document.addEventListener("DOMContentLoaded", setup);
})();
