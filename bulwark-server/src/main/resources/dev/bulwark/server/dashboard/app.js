// The Bulwark dashboard: draws what GET /dashboard/stream sends (server-sent events, no polling) and calls the admin
// endpoints with the token kept in this tab's sessionStorage. Each applied message bumps body[data-updates].
(function () {
  'use strict';
  var WINDOW = 600;
  var COLORS = ['#1a73e8', '#d93025', '#188038', '#e37400', '#9334e6', '#007b83', '#b06000', '#c5221f'];
  var series = {};
  var names = [];
  var charts = {};
  var $ = function (id) { return document.getElementById(id); };
  var tokenInput = $('token');
  tokenInput.value = sessionStorage.getItem('bulwark-admin-token') || '';

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function fmt(value, digits) { return value === null || value === undefined ? '-' : Number(value).toFixed(digits); }
  function replace(parent, children) {
    parent.textContent = '';
    children.forEach(function (child) { parent.appendChild(child); });
  }
  function bump() { document.body.dataset.updates = String(Number(document.body.dataset.updates) + 1); }

  // ---- charts ----
  function addSample(name, row) {
    var s = series[name] || (series[name] = { t: [], score: [], err: [], p95: [] });
    s.t.push(row[0]); s.score.push(row[2]); s.err.push(row[3]); s.p95.push(row[5]);
    if (s.t.length > WINDOW) { ['t', 'score', 'err', 'p95'].forEach(function (k) { s[k].shift(); }); }
  }
  function chartData(key) {
    var times = [];
    names.forEach(function (n) { if (series[n] && series[n].t.length > times.length) { times = series[n].t; } });
    var data = [times.slice()];
    names.forEach(function (n) {
      var s = series[n] || { t: [], score: [], err: [], p95: [] };
      var offset = times.length - s.t.length;
      var column = new Array(times.length).fill(null);
      for (var i = 0; i < s.t.length; i++) { column[offset + i] = s[key][i]; }
      data.push(column);
    });
    return data;
  }
  function css(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim(); }
  function axis() {
    return { stroke: css('--fg'), grid: { stroke: css('--line'), width: 1 }, ticks: { stroke: css('--line'), width: 1 } };
  }
  // colours come from the scheme: redraw the charts when it changes
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', function () {
    Object.keys(charts).forEach(function (id) { charts[id].plot.destroy(); });
    charts = {};
    drawCharts();
  });
  function width(box) { return Math.max(240, box.clientWidth || 300); }
  function drawCharts() {
    [['chart-health', 'score', 0, 1], ['chart-errors', 'err', 0, 100], ['chart-latency', 'p95', 0, null]].forEach(function (c) {
      var box = $(c[0]);
      var data = chartData(c[1]);
      var key = names.join('|');
      var chart = charts[c[0]];
      if (!chart || chart.key !== key) {
        if (chart) { chart.plot.destroy(); }
        var opts = { width: width(box), height: 160, legend: { show: true },
          scales: { x: { time: true }, y: c[3] === null ? { auto: true } : { range: [c[2], c[3]] } },
          axes: [axis(), axis()],
          series: [{}].concat(names.map(function (n, i) {
            return { label: n, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: false };
          })) };
        charts[c[0]] = chart = { key: key, plot: new uPlot(opts, data, box) };
      } else {
        chart.plot.setData(data);
      }
      box.dataset.points = String(data[0].length);
    });
  }
  window.addEventListener('resize', function () {
    Object.keys(charts).forEach(function (id) { charts[id].plot.setSize({ width: width($(id)), height: 160 }); });
  });

  // ---- the snapshot ----
  function button(label, method, path, body, confirmText) {
    var b = el('button', { type: 'button', 'data-action': path }, label);
    b.addEventListener('click', function () {
      if (confirmText && !window.confirm(confirmText)) { return; }
      control(method, path, body);
    });
    return b;
  }
  function renderAdapters(adapters) {
    names = adapters.map(function (a) { return a.name; });
    replace(document.querySelector('#adapters tbody'), adapters.map(function (a) {
      var row = el('tr', { 'data-adapter': a.name, 'data-state': a.state });
      row.appendChild(el('td', {}, a.name));
      row.appendChild(el('td', { 'class': a.state + ' state' }, a.state));
      row.appendChild(el('td', {}, fmt(a.health_score, 2)));
      row.appendChild(el('td', {}, a.failure_rate === null ? '-' : fmt(a.failure_rate, 1) + ' %'));
      row.appendChild(el('td', {}, a.total_calls + ' (' + a.failed_calls + ' failed, ' + a.rejected_calls + ' rejected)'));
      var cell = el('td', { 'class': 'controls' });
      var path = '/health/adapters/' + encodeURIComponent(a.name);
      cell.appendChild(button('Reset', 'POST', path + '/reset'));
      cell.appendChild(button('Trip', 'POST', path + '/trip'));
      row.appendChild(cell);
      return row;
    }));
  }
  function renderMode(mode) {
    var pill = $('mode');
    pill.textContent = 'mode ' + mode.mode;
    pill.className = 'pill ' + mode.mode;
    pill.dataset.mode = mode.mode;
    $('mode-detail').textContent = mode.trigger ? mode.mode + ' since ' + mode.since + ' (' + mode.trigger + ': ' + mode.reason + ')'
      : mode.mode + ': no change yet';
    replace($('mode-history'), mode.history.slice(-10).reverse().map(function (c) {
      return el('li', {}, c.at + ' ' + c.from + ' -> ' + c.to + ' (' + c.trigger + ') ' + c.reason);
    }));
  }
  function renderFailover(groups) {
    if (!groups.length) { replace($('failover'), [el('p', {}, 'no failover groups configured')]); return; }
    replace($('failover'), groups.map(function (g) {
      var box = el('div', { 'data-group': g.group });
      box.appendChild(el('h3', {}, g.group + ' (' + g.adapter + '): ' + g.mode + ' mode'));
      box.appendChild(el('p', {}, 'serving ' + g.current + (g.current === g.primary ? ' (primary)' : '')));
      box.appendChild(el('p', { 'class': g.standby.state === 'ready' ? 'done' : 'refused', 'data-standby': g.standby.state },
        'standby: ' + g.standby.state + (g.standby.target ? ' ' + g.standby.target : '')));
      if (g.last_failovers.length) {
        var f = g.last_failovers[0];
        box.appendChild(el('p', {}, 'last switch: ' + f.kind + ' at ' + f.at + ' in ' + f.duration_ms + ' ms (' + f.reason + ')'));
      }
      var path = '/failover/' + encodeURIComponent(g.group);
      var controls = el('div', { 'class': 'controls' });
      controls.appendChild(button('Manual on', 'POST', path + '/manual/enable'));
      controls.appendChild(button('Manual off', 'POST', path + '/manual/disable'));
      controls.appendChild(button('Switch', 'POST', path + '/switch', null, 'Switch ' + g.group + ' to its standby now?'));
      box.appendChild(controls);
      return box;
    }));
  }
  function renderSnapshot(s) {
    renderAdapters(s.adapters);
    renderMode(s.mode);
    replace($('checks'), Object.keys(s.health.checks).map(function (name) {
      var c = s.health.checks[name];
      return el('li', { 'class': c.status }, name + ': ' + c.status + (c.message ? ' - ' + c.message : ''));
    }));
    renderFailover(s.failover);
    replace($('fallbacks'), Object.keys(s.fallbacks).map(function (k) {
      var d = el('div', { 'data-fallback': k });
      d.appendChild(el('dt', {}, k)); d.appendChild(el('dd', {}, s.fallbacks[k]));
      return d;
    }));
    replace($('queues'), Object.keys(s.queues).length ? Object.keys(s.queues).map(function (adapter) {
      var li = el('li', {}, adapter + ': ' + s.queues[adapter] + ' waiting ');
      li.appendChild(button('Drain', 'POST', '/queues/' + encodeURIComponent(adapter) + '/drain'));
      return li;
    }) : [el('li', {}, 'no queue_for_later queues')]);
    if (!s.quotas) {
      replace($('quotas'), [el('p', {}, 'no quotas configured')]);
    } else {
      var table = el('table');
      var head = el('tr');
      ['Key (' + s.quotas.key_header + ')', 'Status', 'Used', 'Limit'].forEach(function (h) { head.appendChild(el('th', {}, h)); });
      table.appendChild(head);
      Object.keys(s.quotas.keys).forEach(function (key) {
        var q = s.quotas.keys[key];
        var row = el('tr', { 'data-quota': key });
        row.appendChild(el('td', {}, key));
        row.appendChild(el('td', { 'class': q.status === 'HEALTHY' ? 'done' : q.status === 'WARNING' ? 'refused' : 'failed' }, q.status));
        row.appendChild(el('td', {}, fmt(q.usage_percent, 1) + ' %'));
        row.appendChild(el('td', {}, q.limit + ' / ' + s.quotas.window_seconds + ' s'));
        table.appendChild(row);
      });
      var wrap = el('div', { 'class': 'table' });
      wrap.appendChild(table);
      replace($('quotas'), [wrap]);
    }
    replace($('events'), s.events.map(function (e) {
      var fields = Object.keys(e).filter(function (k) { return k !== 'type' && k !== 'at'; })
        .map(function (k) { return k + '=' + JSON.stringify(e[k]); }).join(' ');
      return el('li', {}, (e.at || '') + ' ' + e.type + ' ' + fields);
    }));
    $('audit-where').textContent = s.audit_durable ? '(kept across restarts)' : '(in memory only)';
    replace(document.querySelector('#audit tbody'), s.audit.map(function (a) {
      var row = el('tr', { 'data-audit-action': a.action });
      [a.at, a.who, a.action, a.target, a.outcome, a.remote_address].forEach(function (v, i) {
        row.appendChild(el('td', i === 4 ? { 'class': v } : {}, v));
      });
      row.appendChild(el('td', { 'class': 'detail' }, a.detail));
      return row;
    }));
  }

  // ---- controls ----
  function control(method, path, body) {
    var out = $('control-result');
    var headers = { 'Content-Type': 'application/json' };
    var token = tokenInput.value.trim();
    if (token) { headers.Authorization = 'Bearer ' + token; }
    fetch(path, { method: method, headers: headers, body: body ? JSON.stringify(body) : null })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (json) {
          out.dataset.status = String(response.status);
          out.className = response.ok ? 'ok' : 'error';
          out.textContent = method + ' ' + path + ': ' + response.status + (json.error ? ' - ' + json.error : ' OK');
        });
      })
      .catch(function (failed) {
        out.dataset.status = 'network';
        out.className = 'error';
        out.textContent = method + ' ' + path + ': ' + failed;
      });
  }
  $('token-form').addEventListener('submit', function (event) {
    event.preventDefault();
    sessionStorage.setItem('bulwark-admin-token', tokenInput.value.trim());
    $('control-result').textContent = 'token kept for this tab';
  });
  $('force').addEventListener('click', function () {
    control('POST', '/mode/force', { mode: $('force-mode').value, reason: 'forced from the dashboard' });
  });
  $('release').addEventListener('click', function () { control('POST', '/mode/release'); });

  // ---- the stream ----
  var live = $('live');
  var stream = new EventSource('/dashboard/stream');
  stream.onopen = function () {
    live.textContent = 'live'; live.className = 'pill live'; document.body.dataset.connected = 'true';
  };
  stream.onerror = function () {
    live.textContent = 'reconnecting'; live.className = 'pill down'; document.body.dataset.connected = 'false';
  };
  stream.addEventListener('history', function (event) {
    var samples = JSON.parse(event.data).samples;
    series = {};
    Object.keys(samples).forEach(function (name) { samples[name].forEach(function (row) { addSample(name, row); }); });
    bump();
  });
  stream.addEventListener('sample', function (event) {
    var samples = JSON.parse(event.data).samples;
    Object.keys(samples).forEach(function (name) { addSample(name, samples[name]); });
    drawCharts();
    bump();
  });
  stream.addEventListener('snapshot', function (event) {
    renderSnapshot(JSON.parse(event.data));
    drawCharts();
    bump();
  });
})();
