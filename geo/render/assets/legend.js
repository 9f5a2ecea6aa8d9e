// On a small screen the legend starts collapsed: its title opens it.
function mdFoldLegends(collapseBelowPx) {
  if (window.innerWidth < collapseBelowPx) {
    document.querySelectorAll("details.md-legend").forEach(function (legend) {
      legend.removeAttribute("open");
    });
  }
}
