// The notebooks write their maths between $...$ and $$...$$, as Jupyter does;
// MathJax 3 reads only \(...\) inline unless told.
window.MathJax = {
  tex: {
    inlineMath: [["$", "$"], ["\\(", "\\)"]],
    displayMath: [["$$", "$$"], ["\\[", "\\]"]],
    processEscapes: true,
  },
};
