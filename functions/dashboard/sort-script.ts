/**
 * The dashboard's only script: click a column header to sort the table's rows by it, descending first for
 * numbers (the largest spend on top), ascending first for text; click again to reverse. It sorts by each cell's
 * data-sort value (html-table.ts), and empty values always go last. The page's Content-Security-Policy allows
 * exactly this script, by its hash (page.ts).
 */
export const sortScript = `
document.querySelectorAll('table.sortable').forEach(function (table) {
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  headers.forEach(function (th, column) {
    th.querySelector('button').addEventListener('click', function () {
      var numeric = th.classList.contains('num');
      var current = th.getAttribute('aria-sort');
      var descending = current ? current === 'ascending' : numeric;
      headers.forEach(function (other) { other.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column].getAttribute('data-sort');
        var y = b.cells[column].getAttribute('data-sort');
        if (x === '' || y === '') return (x === '') - (y === '');
        var order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
        return descending ? -order : order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
`;
