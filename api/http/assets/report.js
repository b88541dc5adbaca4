/* global document, window */
// The report's only script (no inline scripts: the Content-Security-Policy forbids them).
document.getElementById('print-report')?.addEventListener('click', () => window.print())
