// Live reload for `policyhub serve`, injected into served pages only.
(function () {
  "use strict";
  var overlay = null;
  function showError(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "policyhub-error";
      overlay.setAttribute("role", "alert");
      var s = overlay.style;
      s.position = "fixed"; s.left = "0"; s.right = "0"; s.bottom = "0"; s.maxHeight = "60vh";
      s.overflow = "auto"; s.zIndex = "2147483647"; s.margin = "0"; s.padding = "1rem 1.25rem";
      s.background = "#3b0a0a"; s.color = "#fff"; s.font = "14px/1.5 ui-monospace, monospace";
      s.whiteSpace = "pre-wrap"; s.borderTop = "4px solid #ff6b6b";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "policyhub: the last rebuild failed. This page shows the last good build.\n\n" + text;
  }
  function clearError() { if (overlay) { overlay.remove(); overlay = null; } }
  // The file the server answered with (none for a missing page: any change may create it).
  var served = (document.currentScript && document.currentScript.getAttribute("data-page")) || "";
  // The server refuses streams beyond its limit (503) and a browser then gives up on the
  // stream for good: connect again a little later.
  function connect() {
    var events = new EventSource("/__policyhub/events");
    events.onerror = function () {
      if (events.readyState === EventSource.CLOSED) { setTimeout(connect, 5000); }
    };
    // A reload lists the pages that changed (none: every page reloads).
    events.addEventListener("reload", function (e) {
      var pages = e.data ? e.data.split("\n") : [];
      if (pages.length === 0 || served === "" || pages.indexOf(served) !== -1) { location.reload(); }
    });
    events.addEventListener("css", function () {
      clearError();
      document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
        var url = new URL(link.href);
        url.searchParams.set("v", String(Date.now()));
        link.href = url.toString();
      });
    });
    events.addEventListener("failed", function (e) { showError(e.data); });
    events.addEventListener("ok", clearError);
  }
  connect();
})();
