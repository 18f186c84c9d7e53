// MathJax 3 for the course pages, served from this site (no CDN).
// The notebooks write $...$ and $$...$$, which MathJax 3 must be told about.
(function () {
  var here = document.currentScript.src;
  window.MathJax = {
    tex: { inlineMath: [["$", "$"], ["\\(", "\\)"]], displayMath: [["$$", "$$"], ["\\[", "\\]"]], processEscapes: true },
    options: { enableMenu: false },
    svg: { fontCache: "global" },
  };
  var s = document.createElement("script");
  s.src = new URL("vendor/mathjax/tex-svg-full.js", here).href;
  s.async = true;
  document.head.appendChild(s);
})();
