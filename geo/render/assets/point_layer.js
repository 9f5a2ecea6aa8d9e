// Many points as one Leaflet GeoJSON layer of circle markers (geo.render.map_layers.PointLayer).
// Text from data never runs as HTML: popups and tooltips are filled with textContent.
function mdPointLayer(map, options) {
  var colours = options.colours;
  var fields = options.fields;
  function table(properties) {
    var node = document.createElement("table");
    node.className = "md-popup";
    fields.forEach(function (field) {
      var value = properties[field[0]];
      if (value === null || value === undefined || value === "") { return; }
      var row = node.insertRow();
      var head = document.createElement("th");
      head.textContent = field[1];
      head.style.textAlign = "left";
      head.style.paddingRight = "8px";
      row.appendChild(head);
      row.insertCell().textContent = String(value);
    });
    if (options.footer) {
      var note = node.createCaption();
      note.textContent = options.footer;
      note.style.captionSide = "bottom";
      note.style.fontStyle = "italic";
      note.style.textAlign = "left";
    }
    return node;
  }
  var packed = options.packed;
  var features = packed.lon.map(function (lon, i) {
    var properties = {};
    packed.columns.forEach(function (column) {
      properties[column.key] = column.codes ? column.values[column.codes[i]] : column.values[i];
    });
    return {type: "Feature", geometry: {type: "Point", coordinates: [lon, packed.lat[i]]},
            properties: properties};
  });
  return L.geoJson({type: "FeatureCollection", features: features}, {
    pointToLayer: function (feature, latlng) {
      var colour = colours[feature.properties[options.colourKey]] || "#777777";
      var ringKey = options.ringKey;
      if (ringKey && feature.properties[ringKey]) {
        if (options.ringStyle === "hollow") {  // approximate: a hollow ring
          return L.circleMarker(latlng, {
            radius: options.radius + 1, color: colour, weight: 2.2,
            fill: true, fillOpacity: 0.0, fillColor: "#ffffff"
          });
        }
        return L.circleMarker(latlng, {  // flagged: the usual dot in a black outline
          radius: options.radius + 2, color: "#000000", weight: 2.5,
          fill: true, fillOpacity: options.fillOpacity, fillColor: colour
        });
      }
      return L.circleMarker(latlng, {
        radius: options.radius, color: options.stroke, weight: options.weight,
        fill: true, fillOpacity: options.fillOpacity, fillColor: colour
      });
    },
    onEachFeature: function (feature, layer) {
      layer.bindPopup(function () { return table(feature.properties); });
      var tip = document.createElement("span");
      tip.textContent = String(feature.properties[options.tooltipKey]);
      layer.bindTooltip(tip);
    }
  }).addTo(map);
}
