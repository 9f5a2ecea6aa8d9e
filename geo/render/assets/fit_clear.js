// Open on the focus clear of the legend (issue 28: it hid "Oakland"): fit to bounds
// ([[south, west], [north, east]]), padded on the side that costs the map less.
function mdFitClearOfLegend(map, corners) {
  var bounds = L.latLngBounds(corners);
  function fit() {
    var size = map.getSize();
    if (!size.x || !size.y) { return; }
    if (map._animatingZoom) { map.once("zoomend", fit); return; }
    var legend = document.querySelector("details.md-legend");
    if (!legend) { return; }
    var style = getComputedStyle(legend);  // its box, from the map's bottom-left corner
    var w = (parseFloat(style.left) || 0) + legend.offsetWidth + 8;
    var tall = Math.min(Math.max(legend.offsetHeight, legend.scrollHeight + 2), size.y - 70);
    var h = (parseFloat(style.bottom) || 0) + tall + 8;  // its own height, not its frame's
    var options = (size.x - w) / size.x >= (size.y - h) / size.y
      ? {paddingTopLeft: [w, 8], paddingBottomRight: [8, 8], animate: false}
      : {paddingTopLeft: [8, 8], paddingBottomRight: [8, h], animate: false};
    map.fitBounds(bounds, options);
  }
  map.fitBounds(bounds, {animate: false});  // at once, then clear of the legend
  var touched = false;  // refit as the frame settles its size, until someone moves the map
  ["mousedown", "touchstart", "wheel", "keydown"].forEach(function (name) {
    map.getContainer().addEventListener(name, function () { touched = true; });
  });
  map.on("resize", function () { if (!touched) { fit(); } });
  setTimeout(fit, 0);  // after the legend has folded on a phone
}
