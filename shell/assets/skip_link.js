(function () {
  var doc = document;
  var text = __TEXT__;  // the words, in the page's language (dashboard.skip_link)
  var shown = doc.getElementById("md-skip-link");
  if (shown) { shown.textContent = text; return; }
  var link = doc.createElement("a");
  link.id = "md-skip-link";
  link.href = "#";
  link.textContent = text;
  link.setAttribute("style", "position:fixed; left:-10000px; top:8px; z-index:1000001;"
    + " background:#ffffff; color:#1658d6; padding:8px 12px; border:3px solid #1658d6;"
    + " font:16px sans-serif; text-decoration:underline;");
  link.addEventListener("focus", function () { link.style.left = "8px"; });
  link.addEventListener("blur", function () { link.style.left = "-10000px"; });
  link.addEventListener("click", function (event) {
    event.preventDefault();
    var main = doc.querySelector('[data-testid="stMain"]') || doc.querySelector("main");
    var box = main && main.querySelector('[data-testid="stForm"] input[type="text"]');
    if (box) { box.focus(); return; }  // the finder: its search box
    if (main) { main.setAttribute("tabindex", "-1"); main.focus(); }
  });
  doc.body.insertBefore(link, doc.body.firstChild);
})();
