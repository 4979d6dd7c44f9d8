// 督查抽查: the 新建抽查 form (rows added and removed, inputs shown for what was chosen) and the pass-rate chart of a round.
(function () {
  var form = document.querySelector('form[data-round-form]');
  if (!form) return;

  function rowsOf(set) {
    return Array.prototype.slice.call(set.querySelectorAll('[data-rows] > [data-row]'));
  }

  // Checklist items: 打分 shows 满分 and 合格分. Rule rows: only the inputs of 至少 / 介于 / 按比例 / 全部.
  function sync(row) {
    var kind = row.querySelector('[data-item-kind]');
    if (kind) {
      row.querySelectorAll('[data-when-score]').forEach(function (el) {
        el.hidden = kind.value !== 'SCORE';
      });
    }
    var type = row.querySelector('[data-rule-type]');
    if (type) {
      row.querySelectorAll('[data-when-rule]').forEach(function (el) {
        el.hidden = el.getAttribute('data-when-rule').split(' ').indexOf(type.value) < 0;
      });
    }
  }

  function renumber(set) {
    var noun = set.hasAttribute('data-items') ? '项' : '条';
    var rows = rowsOf(set);
    rows.forEach(function (row, i) {
      row.querySelector('[data-row-title]').textContent = '第 ' + (i + 1) + ' ' + noun;
      // The last row stays: a checklist and a rule need at least one.
      row.querySelector('[data-del-row]').hidden = rows.length === 1;
      sync(row);
    });
  }

  form.querySelectorAll('[data-items], [data-levels]').forEach(function (set) {
    renumber(set);
    set.addEventListener('change', function (e) {
      var row = e.target.closest('[data-row]');
      if (row) sync(row);
    });
    set.addEventListener('click', function (e) {
      if (e.target.closest('[data-add-row]')) {
        var tpl = set.querySelector('template[data-row-template]');
        var row = tpl.content.firstElementChild.cloneNode(true);
        set.querySelector('[data-rows]').appendChild(row);
        renumber(set);
        var first = row.querySelector('textarea, input, select');
        if (first) first.focus();
      } else if (e.target.closest('[data-del-row]')) {
        var r = e.target.closest('[data-row]');
        var filled = Array.prototype.some.call(r.querySelectorAll('textarea, input'), function (i) {
          return i.value.trim() !== '';
        });
        if (filled && !window.confirm('删除这一行？已填的内容会一并删除。')) return;
        r.parentNode.removeChild(r);
        renumber(set);
      }
    });
  });

  var target = form.querySelector('[data-target]');
  if (target) {
    var syncTarget = function () {
      var on = target.querySelector('input[name=target]:checked');
      target.querySelectorAll('[data-when-person]').forEach(function (el) {
        el.hidden = !on || on.value !== 'PERSON';
      });
    };
    target.addEventListener('change', syncTarget);
    syncTarget();
  }
})();

// 各层合格率: one horizontal bar per organisation, grouped by level (phone-friendly: names on the left).
(function () {
  var box = document.querySelector('[data-rate-chart]');
  if (!box) return;
  var fallback = document.querySelector('[data-chart-fallback]');
  function draw() {
    if (!window.echarts) {
      if (fallback) fallback.textContent = '图表暂不可用，请看下面各层的数字。';
      return;
    }
    var levels = JSON.parse(box.getAttribute('data-rate-chart'));
    var names = [];
    levels.forEach(function (l) {
      l.strata.forEach(function (s) {
        names.push(l.name + ' · ' + s.name);
      });
    });
    var colors = ['#c8161d', '#0b57a4', '#1d7a3a', '#a35c00'];
    var series = levels.map(function (l, i) {
      var data = names.map(function () {
        return null;
      });
      l.strata.forEach(function (s) {
        data[names.indexOf(l.name + ' · ' + s.name)] = s.rate;
      });
      return {
        type: 'bar',
        name: l.name,
        stack: 'rate',
        data: data,
        itemStyle: { color: colors[i % colors.length] },
        label: { show: true, position: 'right', formatter: '{c}%' },
      };
    });
    box.style.height = Math.max(160, names.length * 34 + 70) + 'px';
    var chart = window.echarts.init(box, null, { renderer: 'svg' });
    chart.setOption({
      animation: false,
      legend: { top: 0 },
      grid: { left: 8, right: 48, top: 30, bottom: 8, containLabel: true },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: {
        type: 'category',
        inverse: true,
        data: names,
        axisLabel: {
          width: 150,
          overflow: 'truncate',
          // “中共大滩乡大滩村支部委员会” → “大滩乡大滩村”: the place is what tells the bars apart.
          formatter: function (v) {
            return v
              .split(' · ')[1]
              .replace(/^中共/, '')
              .replace(/(党总支部委员会|党总支部|党支部|支部委员会|总支委员会|委员会|支部)$/, '');
          },
        },
      },
      tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined ? '—' : v + '%') },
      series: series,
    });
    if (fallback) fallback.hidden = true;
    window.addEventListener('resize', function () {
      chart.resize();
    });
  }
  // echarts.min.js is deferred before this script: it has run by now if it loaded.
  draw();
})();
