// 述职评议: the round form (rows added and removed, the raters' group choices kept in step with the groups), the grade
// distribution chart, and on the rater's sheet a confirm before 投票 and each line's own total. Everything works without it.
(function () {
  var form = document.querySelector('form[data-review-form]');
  if (!form) return;

  function rowsOf(set) {
    return Array.prototype.slice.call(set.querySelectorAll('[data-rows] > [data-row]'));
  }
  var raterSelects = function () {
    return Array.prototype.slice.call(form.querySelectorAll('select[data-rater-select]'));
  };
  function renumber(set) {
    var groups = set.hasAttribute('data-groups');
    var rows = rowsOf(set);
    rows.forEach(function (row, i) {
      row.querySelector('[data-row-title]').textContent = groups ? '第 ' + (i + 1) + ' 组' : '第 ' + (i + 1) + ' 项';
      row.querySelector('[data-del-row]').hidden = rows.length === 1;
    });
  }
  // A new group gets a key at once, so its raters can be placed in it before it is saved.
  function freshKey() {
    var taken = {};
    form.querySelectorAll('[data-group-key]').forEach(function (i) {
      taken[i.value] = true;
    });
    for (var n = 1; ; n++) if (!taken['group' + n]) return 'group' + n;
  }
  function syncOptions() {
    // A 自评 group has no raters: the secretaries grade themselves in their reports.
    var groups = Array.prototype.slice
      .call(form.querySelectorAll('[data-groups] [data-rows] > [data-row]'))
      .filter(function (row) {
        var kind = row.querySelector('select[name="groupKind"]');
        return !kind || kind.value !== 'SELF';
      })
      .map(function (row) {
        return { key: row.querySelector('[data-group-key]').value, name: row.querySelector('[data-group-name]').value.trim() || '（未命名评分组）' };
      });
    raterSelects().forEach(function (select) {
      var chosen = select.value;
      while (select.options.length > 1) select.remove(1);
      groups.forEach(function (g) {
        if (!g.key) return;
        var o = document.createElement('option');
        o.value = g.key;
        o.textContent = g.name;
        select.appendChild(o);
      });
      select.value = groups.some(function (g) {
        return g.key === chosen;
      })
        ? chosen
        : '';
    });
  }

  form.querySelectorAll('[data-groups], [data-items]').forEach(function (set) {
    renumber(set);
    set.addEventListener('input', function (e) {
      if (e.target.hasAttribute('data-group-name') || e.target.name === 'groupKind') syncOptions();
    });
    set.addEventListener('click', function (e) {
      if (e.target.closest('[data-add-row]')) {
        var tpl = set.querySelector('template[data-row-template]');
        var row = tpl.content.firstElementChild.cloneNode(true);
        var key = row.querySelector('[data-group-key]');
        if (key) key.value = freshKey();
        set.querySelector('[data-rows]').appendChild(row);
        renumber(set);
        if (key) syncOptions();
        var first = row.querySelector('input:not([type=hidden]), textarea, select');
        if (first) first.focus();
      } else if (e.target.closest('[data-del-row]')) {
        var r = e.target.closest('[data-row]');
        var filled = Array.prototype.some.call(r.querySelectorAll('textarea, input:not([type=hidden])'), function (i) {
          return i.value.trim() !== '';
        });
        if (filled && !window.confirm('删除这一行？已填的内容会一并删除。')) return;
        r.parentNode.removeChild(r);
        renumber(set);
        if (set.hasAttribute('data-groups')) syncOptions();
      }
    });
  });
})();

// 等次分布: one bar per grade (the table beside it says the same in numbers).
(function () {
  var box = document.querySelector('[data-grade-chart]');
  if (!box) return;
  var fallback = document.querySelector('[data-chart-fallback]');
  if (!window.echarts) {
    if (fallback) fallback.textContent = '图表暂不可用，请看下面的表格。';
    return;
  }
  var data = JSON.parse(box.getAttribute('data-grade-chart'));
  var colors = ['#1d7a3a', '#0b57a4', '#a35c00', '#8a1116', '#888'];
  var chart = window.echarts.init(box, null, { renderer: 'svg' });
  chart.setOption({
    animation: false,
    grid: { left: 36, right: 12, top: 24, bottom: 28 },
    xAxis: { type: 'category', data: data.labels },
    yAxis: { type: 'value', minInterval: 1 },
    tooltip: { trigger: 'axis' },
    series: [
      {
        type: 'bar',
        name: '人数',
        barMaxWidth: 56,
        data: data.values.map(function (v, i) {
          return { value: v, itemStyle: { color: colors[i % colors.length] } };
        }),
        label: { show: true, position: 'top' },
      },
    ],
  });
  if (fallback) fallback.hidden = true;
  window.addEventListener('resize', function () {
    chart.resize();
  });
})();

// The rater's sheet: 投票 asks once more (暂存 does not); a line's own total as the scores are typed; 弃权 greys the line.
(function () {
  var form = document.querySelector('form[data-ballot-form]');
  if (!form) return;
  form.addEventListener('submit', function (e) {
    var by = e.submitter;
    if (by && by.hasAttribute('data-cast') && !window.confirm('投票后不能修改。确定投票吗？')) e.preventDefault();
  });
  function update(card) {
    var abstain = card.querySelector('[data-abstain]');
    card.classList.toggle('abstained', !!(abstain && abstain.checked));
    var total = card.querySelector('[data-total]');
    if (!total) return;
    var sum = 0;
    var all = true;
    card.querySelectorAll('[data-score]').forEach(function (input) {
      var v = input.value.trim();
      var max = Number(input.getAttribute('data-max'));
      var weight = Number(input.getAttribute('data-weight'));
      if (v === '' || isNaN(Number(v)) || !max) all = false;
      else sum += (Number(v) / max) * weight;
    });
    total.hidden = !all;
    if (all) total.querySelector('[data-total-value]').textContent = (Math.round(sum * 100) / 100).toString();
  }
  form.querySelectorAll('[data-subject]').forEach(function (card) {
    update(card);
    card.addEventListener('input', function () {
      update(card);
    });
    card.addEventListener('change', function () {
      update(card);
    });
  });
})();
