/* Progressive enhancement, no dependencies.
   table[data-sortable]: header buttons sort rows (th[data-sort=number]: numerically).
   [data-table-controls]: select[data-filter=KEY] matches tr.dataset[KEY],
   input[data-filter-text] matches row text and tr[data-terms]; [data-filter-status] shows the count. */
(function () {
  'use strict';
  var collator = new Intl.Collator('zh-Hans-CN');

  function text(row, i) {
    return row.cells[i] ? row.cells[i].textContent.trim() : '';
  }

  function toNumber(s) {
    var n = parseFloat(s.replace(/[^\d.-]/g, ''));
    return isNaN(n) ? null : n;
  }

  function sortBy(table, th, dir) {
    var body = table.tBodies[0];
    var i = th.cellIndex;
    var numeric = th.dataset.sort === 'number';
    var sign = dir === 'ascending' ? 1 : -1;
    var rows = Array.prototype.slice.call(body.rows).map(function (row) {
      var t = text(row, i);
      return { row: row, key: numeric ? toNumber(t) : t };
    });
    rows.sort(function (a, b) {
      if (numeric) {
        if (a.key === null || b.key === null) {
          return (a.key === null) - (b.key === null); // empty cells last
        }
        return sign * (a.key - b.key);
      }
      return sign * collator.compare(a.key, b.key);
    });
    var frag = document.createDocumentFragment();
    rows.forEach(function (r) { frag.appendChild(r.row); });
    body.appendChild(frag);
    Array.prototype.forEach.call(th.parentNode.cells, function (h) {
      h.setAttribute('aria-sort', h === th ? dir : 'none');
    });
  }

  function makeSortable(table) {
    if (!table.tHead || !table.tBodies[0]) return;
    var headRow = table.tHead.rows[table.tHead.rows.length - 1];
    Array.prototype.forEach.call(headRow.cells, function (th) {
      var button = document.createElement('button');
      button.type = 'button';
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener('click', function () {
        var next = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
        sortBy(table, th, next);
      });
    });
  }

  function findTable(controls) {
    for (var el = controls.nextElementSibling; el; el = el.nextElementSibling) {
      var t = el.matches('table') ? el : el.querySelector('table');
      if (t) return t;
    }
    return null;
  }

  function setUpFilters(controls) {
    var table = findTable(controls);
    if (!table || !table.tBodies[0]) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    // a row's text, and the words residents use for it (keywords, thesaurus: data-terms)
    var haystack = rows.map(function (r) {
      return (r.textContent + ' ' + (r.dataset.terms || '')).toLowerCase();
    });
    var selects = controls.querySelectorAll('select[data-filter]');
    var input = controls.querySelector('input[data-filter-text]');
    var status = controls.querySelector('[data-filter-status]');
    var timer;

    function apply() {
      var terms = input ? input.value.toLowerCase().split(/\s+/).filter(Boolean) : [];
      var shown = 0;
      rows.forEach(function (row, n) {
        var ok = Array.prototype.every.call(selects, function (s) {
          return !s.value || row.dataset[s.dataset.filter] === s.value;
        }) && terms.every(function (t) { return haystack[n].indexOf(t) !== -1; });
        row.hidden = !ok;
        if (ok) shown++;
      });
      if (status) {
        clearTimeout(timer);
        timer = setTimeout(function () {
          status.textContent = '显示 ' + shown + ' / ' + rows.length + ' 项';
        }, 300);
      }
    }

    Array.prototype.forEach.call(selects, function (s) { s.addEventListener('change', apply); });
    if (input) input.addEventListener('input', apply);
    controls.hidden = false;
    // Field values restored by back/forward navigation
    if (input && input.value || Array.prototype.some.call(selects, function (s) { return s.value; })) apply();
  }

  Array.prototype.forEach.call(document.querySelectorAll('table[data-sortable]'), makeSortable);
  Array.prototype.forEach.call(document.querySelectorAll('[data-table-controls]'), setUpFilters);
}());
