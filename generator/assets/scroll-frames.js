// Frames that scroll sideways (wide tables, long lines of code, the PRISMA diagram, the matrix) can be reached and
// scrolled with the keyboard, and say what they hold: while a frame's content is wider than the frame, it gets
// tabindex="0", role="region" and a name (its table's caption, else the heading above it), unless the page gave it
// these already. Hand-written pages need this: Material wraps each Markdown table in a scrolling
// .md-typeset__scrollwrap that is neither focusable nor named (axe-core: scrollable-region-focusable).
// Plain script, served from the site itself; the visible cue (shadows at the edge with more) is in evidence-map.css.
(function () {
  "use strict";
  var FRAMES = ".md-typeset__scrollwrap, .em-table-wrap, .em-prisma-wrap, .md-typeset pre > code";
  var SUFFIX = " (scrolls sideways)";
  var watched = typeof WeakSet === "function" ? new WeakSet() : null;

  function text(node) {
    var copy = node.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll(".headerlink"), function (a) { a.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  // The nearest heading before the frame, in the page's order (the frame may sit inside a list or a details box).
  function headingBefore(frame) {
    var headings = document.querySelectorAll(".md-content h1, .md-content h2, .md-content h3, .md-content h4");
    var found = null;
    Array.prototype.forEach.call(headings, function (h) {
      if (h.compareDocumentPosition(frame) & Node.DOCUMENT_POSITION_FOLLOWING) found = h;
    });
    return found ? text(found) : "";
  }

  function kindOf(frame) {
    return frame.tagName === "CODE" ? "Code" : frame.querySelector("table") ? "Table" : "Content";
  }

  // "Table under “Results”", or "Table 2 under “Results”" for the second one there: each name is the page's only one.
  // A frame in a disclosure box is named after the box ("Code in “BibTeX”").
  function nameOf(frame) {
    var caption = frame.querySelector("caption");
    if (caption && text(caption)) return text(caption) + SUFFIX;
    var box = frame.closest("details"), summary = box && box.querySelector("summary");
    if (summary && text(summary)) return kindOf(frame) + " in “" + text(summary) + "”" + SUFFIX;
    var kind = kindOf(frame), heading = headingBefore(frame), nth = 1;
    Array.prototype.forEach.call(document.querySelectorAll(FRAMES), function (other) {
      if (other !== frame && !other.querySelector("caption") && kindOf(other) === kind &&
          other.compareDocumentPosition(frame) & Node.DOCUMENT_POSITION_FOLLOWING &&
          headingBefore(other) === heading) nth += 1;
    });
    return kind + (nth > 1 ? " " + nth : "") + (heading ? " under “" + heading + "”" : "") + SUFFIX;
  }

  function check(frame) {
    var scrolls = frame.scrollWidth > frame.clientWidth + 1;
    if (scrolls && !frame.hasAttribute("tabindex")) {
      frame.tabIndex = 0;
      frame.dataset.emFocusable = "";
    } else if (!scrolls && "emFocusable" in frame.dataset) {
      frame.removeAttribute("tabindex");
      delete frame.dataset.emFocusable;
    }
    // A name this script gave is given again: a redrawn frame (the matrix in another view) has a new caption.
    if (scrolls && ("emNamed" in frame.dataset || !frame.hasAttribute("aria-label") &&
                    !frame.hasAttribute("aria-labelledby"))) {
      if (!frame.hasAttribute("role")) frame.setAttribute("role", "region");
      frame.setAttribute("aria-label", nameOf(frame));
      frame.dataset.emNamed = "";
    } else if (!scrolls && "emNamed" in frame.dataset) {
      frame.removeAttribute("aria-label");
      if (frame.getAttribute("role") === "region") frame.removeAttribute("role");
      delete frame.dataset.emNamed;
    }
  }

  function checkAll() {
    var frames = document.querySelectorAll(FRAMES);
    Array.prototype.forEach.call(frames, function (frame) {
      check(frame);
      // A page script may redraw what a frame holds (the matrix redraws its table): look again when it does.
      if (watched && !watched.has(frame) && typeof MutationObserver === "function") {
        watched.add(frame);
        new MutationObserver(function () { check(frame); }).observe(frame, { childList: true });
      }
    });
  }

  var pending = false;
  window.addEventListener("resize", function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; checkAll(); });
  });
  // Material wraps the tables once the document is ready, and again after each instant page change: its
  // document$ observable (a documented extension point) says when; without it, the page's load event does.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { window.setTimeout(checkAll, 0); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", checkAll);
  } else {
    checkAll();
  }
  // Fonts, plotly and images change widths after the document is ready; a frame in a closed <details> (the BibTeX
  // on a study page) has a width only once it is opened.
  window.addEventListener("load", checkAll);
  document.addEventListener("toggle", checkAll, true);
}());
