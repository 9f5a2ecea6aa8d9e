// A popup opened on a phone-wide map stays whole and readable: clear of the map's edges,
// of the legend box, of an exported map's title box and of Leaflet's controls (they are
// drawn over the map, and hid a tall popup opened near the top). What phone map apps do,
// with Leaflet's own means: on a narrow map opening a popup folds the legend (one panel
// at a time; its title opens it again), the popup's content is held to a share of the map's height (it scrolls
// inside) and never more than the room left, and Leaflet's autoPan pans the map with its
// padding measured from the boxes the popup would otherwise run under. Focus is left
// with the map: Escape (Leaflet's keyboard handler) closes the popup, the map keeps focus.
function mdPopupClear(map, options) {
  var gap = 8;  // px between a popup and an edge or a box
  function overlays() {  // the boxes over the map, from the map's top-left corner
    var frame = map.getContainer().getBoundingClientRect();
    var nodes = document.querySelectorAll(
      "details.md-legend, .md-map-title, .leaflet-control-container .leaflet-control");
    return Array.prototype.map.call(nodes, function (node) {
      var box = node.getBoundingClientRect();
      return {top: box.top - frame.top, bottom: box.bottom - frame.top,
              left: box.left - frame.left, right: box.right - frame.left};
    }).filter(function (box) { return box.bottom > box.top && box.right > box.left; });
  }
  function limits(popup, size) {  // the band the popup may use: [top, bottom] px
    var width = popup.getElement().offsetWidth;
    var point = map.latLngToContainerPoint(popup.getLatLng());
    var left = Math.min(Math.max(point.x - width / 2, gap), size.x - gap - width);
    var top = gap, bottom = size.y - gap;
    overlays().forEach(function (box) {
      if (box.right + gap <= left || box.left - gap >= left + width) { return; }
      if (box.top + box.bottom < size.y) { top = Math.max(top, box.bottom + gap); }
      else { bottom = Math.min(bottom, box.top - gap); }
    });
    return [top, bottom];
  }
  function fit(event) {
    var popup = event.popup;
    var element = popup.getElement();
    if (!element) { return; }
    var size = map.getSize();
    if (size.x < options.narrowBelowPx) {
      document.querySelectorAll("details.md-legend[open]").forEach(function (legend) {
        legend.removeAttribute("open");
      });
    }
    var content = element.querySelector(".leaflet-popup-content");
    var tip = parseFloat(getComputedStyle(element).marginBottom) || 0;
    var chrome = element.offsetHeight + tip - content.offsetHeight;  // frame, tip, anchor
    var band = limits(popup, size);
    var room = band[1] - band[0] - chrome;
    var share = size.x < options.narrowBelowPx ? options.heightShare * size.y : Infinity;
    popup.options.maxHeight = Math.max(Math.floor(Math.min(share, room)), 48);
    popup.options.autoPanPaddingTopLeft = [gap, band[0]];
    popup.options.autoPanPaddingBottomRight = [gap, size.y - band[1]];
    popup.options.autoPan = true;
    popup.update();  // lays it out again and pans (autoPan) with these paddings
  }
  function keepFocus() {  // a tapped marker took the focus (Chromium makes a shape with
    // focus listeners, such as a tooltip's, focusable by a click): Leaflet's keys listen on
    // the map, so Escape did not close the popup. The map has it back, without scrolling.
    var container = map.getContainer(), active = document.activeElement;
    if (active && active !== container && container.contains(active) &&
        !active.closest(".leaflet-popup")) {
      container.focus({preventScroll: true});
    }
  }
  // Leaflet pans a popup as it opens, before "popupopen": then at its full height and
  // clear of the edges only (it left a capped popup far below the box it had to clear).
  // Popups wait for the pan above, with the cap and the paddings.
  L.Popup.prototype.options.autoPan = false;
  map.on("popupopen", function (event) { fit(event); setTimeout(keepFocus, 0); });
}
