// Names on the map: non-interactive DivIcon markers, each shown from its zoom.
// labels: [text, kind, lat, lon, minZoom]; data text never runs as HTML.
function mdMapLabels(map, labels) {
  var group = L.layerGroup();
  var shown = labels.map(function (label) {
    var text = document.createElement("span");
    text.textContent = label[0];  // data text never runs as HTML
    var marker = L.marker([label[2], label[3]], {
      icon: L.divIcon({className: "md-label md-label-" + label[1], html: text,
                       iconSize: [0, 0]}),
      interactive: false, keyboard: false, zIndexOffset: -1000
    });
    return {marker: marker, minZoom: label[4]};
  });
  function show() {  // smaller towns appear as the map zooms in, so names never crowd
    var zoom = map.getZoom();
    shown.forEach(function (label) {
      if (zoom >= label.minZoom) { group.addLayer(label.marker); }
      else { group.removeLayer(label.marker); }
    });
  }
  map.whenReady(function () { show(); group.addTo(map); });
  map.on("zoomend", show);
}
