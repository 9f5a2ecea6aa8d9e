// Markers and shapes leave the Tab order (each page has a table alternative); the map and
// the frame it is shown in are named for screen readers; a click focuses the map without
// scrolling the page.
function mdKeyboardAndTitle(map, title) {
  function untab(layer) {  // markers and shapes leave the Tab order (the table is the way)
    var element = layer.getElement && layer.getElement();
    if (element) { element.setAttribute("tabindex", "-1"); }
  }
  map.eachLayer(untab);
  map.on("layeradd", function (event) { untab(event.layer); });
  // Leaflet focuses the map on mousedown (for its keyboard handler); in a frame that
  // runs past the window, that focus scrolled the page between mousedown and click, so
  // the click was recorded where the map had moved to. Focus without scrolling.
  var container = map.getContainer();
  var focus = container.focus.bind(container);
  container.focus = function (options) {
    focus(Object.assign({preventScroll: true}, options || {}));
  };
  map.getContainer().setAttribute("aria-label", title);
  try {  // the frame the map is shown in (the dashboard's) is announced by this title
    if (window.frameElement) { window.frameElement.setAttribute("title", title); }
  } catch (error) { /* a frame of another origin: nothing to name */ }
}
