// The operations dashboard: polls the JSON API (/api/...) and /observe/health every few seconds and draws the jobs,
// a job's messages and one message's report. Every value is put into the page as text (textContent, attributes),
// never as HTML: file names and D365 answers are foreign input. Actions are POSTs carrying the session's CSRF token.
'use strict';
(function () {
  const REFRESH_MS = 3000;
  const TEXT_SEARCH_REFRESH_MS = 15000;
  const view = { job: null, kind: null, page: 1, pages: 1, message: null, session: null,
    token: sessionStorage.getItem('ripToken'), timer: null };
  const $ = (id) => document.getElementById(id);

  /** An element with attributes and children; strings become text nodes (never parsed as HTML). */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => {
      if (value !== null && value !== undefined && value !== false) node.setAttribute(name, String(value));
    });
    children.flat().forEach((child) => {
      if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
    });
    return node;
  }

  async function api(path, method) {
    const headers = { Accept: 'application/json' };
    if (view.token) headers.Authorization = 'Bearer ' + view.token;
    if (method === 'POST' && view.session) headers[view.session.csrfHeader] = view.session.csrfToken;
    const response = await fetch(path, { method: method || 'GET', headers, credentials: 'same-origin' });
    const challenge = response.headers.get('WWW-Authenticate') || '';
    if (response.status === 401 && challenge.startsWith('Bearer')) {
      $('login').hidden = false;
      throw new Error('log in with the dashboard token');
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok && response.status !== 409) throw new Error(body.error || ('HTTP ' + response.status));
    return { status: response.status, body };
  }

  /** A time in the browser's zone: the time of day for today, else date and time. */
  function time(iso) {
    if (!iso) return '–';
    const date = new Date(iso);
    return date.toDateString() === new Date().toDateString() ? date.toLocaleTimeString()
      : date.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
  }
  const size = (bytes) => (bytes === null || bytes === undefined ? '–' : bytes < 1024 ? bytes + ' B'
    : bytes < 1048576 ? (bytes / 1024).toFixed(1) + ' KB' : (bytes / 1048576).toFixed(1) + ' MB');
  const badge = (value) => el('span', { class: 'badge ' + value }, value);

  function notice(text, isError) {
    const box = $('notice');
    box.textContent = text;
    box.className = 'notice' + (isError ? ' error' : '');
    box.hidden = !text;
  }

  function button(label, action, onClick) {
    const b = el('button', { type: 'button', 'data-action': action }, label);
    b.addEventListener('click', (event) => { event.stopPropagation(); onClick(); });
    return b;
  }

  async function act(path, what) {
    try {
      const { body } = await api(path, 'POST');
      notice(what + ': ' + body.message, body.outcome !== 'done');
    } catch (e) {
      notice(what + ' failed: ' + e.message, true);
    }
    view.searched = null; // show the action's effect at once, searching or not
    refresh();
  }

  function counts(job) {
    const c = job.counts24h;
    return job.kind === 'import'
      ? `taken ${c.taken} · enqueued ${c.enqueued} · processed ${c.processed} · failed ${c.failed} · in D365 ${c.inD365}`
      : `dequeued ${c.dequeued} · delivered ${c.delivered} · acked ${c.acked} · failed ${c.failed}`;
  }

  function renderJobs(jobs) {
    const rows = jobs.map((job) => {
      const name = encodeURIComponent(job.name);
      const controls = [job.state === 'paused'
        ? button('Resume', 'resume', () => act(`/api/jobs/${name}/resume`, 'Resume ' + job.name))
        : button('Pause', 'pause', () => act(`/api/jobs/${name}/pause`, 'Pause ' + job.name))];
      if (job.kind === 'export') {
        const run = button('Run now', 'run', () => act(`/api/jobs/${name}/run`, 'Run ' + job.name));
        run.disabled = job.state === 'paused';
        controls.push(run);
      }
      const state = el('td', { class: 'state' }, badge(job.state),
        job.state === 'paused' ? el('div', { class: 'muted' }, `by ${job.changedBy} at ${time(job.changedAt)}`) : null,
        job.problem ? el('div', { class: 'problem' }, job.problem) : null);
      const row = el('tr', { 'data-job': job.name, class: job.name === view.job ? 'selected' : null },
        el('td', { class: 'name' }, job.name, el('div', { class: 'muted' }, `${job.kind} · ${job.source}`)),
        state, el('td', { 'data-label': 'Schedule' }, job.schedule || '–'),
        el('td', { class: 'counts', 'data-label': 'Last 24 h' }, counts(job)),
        el('td', { class: 'time', 'data-label': 'Last success' }, time(job.lastSuccess)), el('td', {}, controls));
      row.addEventListener('click', () => openJob(job));
      return row;
    });
    $('jobs').tBodies[0].replaceChildren(...rows);
  }

  /** The runners sharing the journal: this one, the others alive, and those not seen (dead or stopped). */
  function renderRunners(runners) {
    const items = (runners || []).map((r) => el('li', { class: r.alive ? 'alive' : 'gone',
      title: 'last seen ' + new Date(r.lastSeen).toString() },
    r.node + (r.self ? ' (this one)' : '') + (r.alive ? '' : ' — not seen since ' + time(r.lastSeen))));
    $('runners').replaceChildren(...items);
  }

  const COLUMNS = {
    import: [['#', 'id'], ['File', 'fileName', 'name'], ['Company', 'company'], ['State', 'state', 'badge'],
      ['', 'actions', 'actions'],
      ['Message id', 'messageId', 'id'],
      ['D365 state', 'd365State'], ['Size', 'size', 'size'], ['Attempts', 'attempts', 'num'],
      ['Taken', 'takenAt', 'time'], ['Enqueued', 'enqueuedAt', 'time'], ['Finished', 'finishedAt', 'time'],
      ['D365 counts', 'd365Counts'], ['Runner', 'runner'], ['Error', 'error', 'error']],
    export: [['#', 'id'], ['Correlation id', 'correlationId', 'id'], ['State', 'state', 'badge'], ['', 'actions', 'actions'],
      ['Package', 'packageName'], ['Size', 'size', 'size'], ['Files', 'files', 'num'], ['Attempts', 'attempts', 'num'],
      ['Dequeued', 'dequeuedAt', 'time'], ['Delivered', 'deliveredAt', 'time'], ['Acked', 'ackedAt', 'time'],
      ['Runner', 'runner'], ['Error', 'error', 'error']],
  };

  function cell(value, kind) {
    if (kind === 'badge') return el('td', {}, badge(value));
    if (kind === 'time') return el('td', { class: 'time', title: value ? new Date(value).toString() : null }, time(value));
    if (kind === 'size') return el('td', { class: 'num' }, size(value));
    return el('td', { class: kind || null }, value === null || value === undefined ? '–' : value);
  }

  function messageActions(message) {
    const base = `/api/jobs/${encodeURIComponent(view.job)}/messages/${message.id}`;
    return (message.actions || []).map((action) => action === 'retry'
      ? button('Retry', 'retry', () => act(base + '/retry', 'Retry ' + message.fileName))
      : button('Check status now', 'check-status', () => act(base + '/check-status', 'Check ' + message.fileName)));
  }

  function renderMessages(data) {
    const columns = COLUMNS[data.kind];
    $('messages').tHead.rows[0].replaceChildren(...columns.map(([title]) => el('th', {}, title)));
    const rows = data.rows.map((message) => {
      const row = el('tr', { 'data-id': message.id, 'data-state': message.state,
        'data-name': message.fileName || message.correlationId,
        class: message.id === view.message ? 'selected' : null },
      columns.map(([, key, kind]) => (kind === 'actions' ? el('td', {}, messageActions(message))
        : cell(message[key], kind))));
      row.addEventListener('click', () => openMessage(message.id));
      return row;
    });
    $('messages').tBodies[0].replaceChildren(...rows);
    view.pages = Math.max(1, Math.ceil(data.total / data.size));
    $('page-info').textContent = `${data.total}${data.totalCapped ? '+' : ''} messages · page ${data.page} of `
      + `${view.pages}${data.totalCapped ? '+' : ''}`
      + (data.searchLimited ? ' · text searched in the newest 10,000 messages' : '');
    $('page-prev').disabled = data.page <= 1;
    $('page-next').disabled = data.page >= view.pages && !data.totalCapped;
    const select = $('filter-state');
    if (select.options.length !== data.states.length + 1) {
      select.replaceChildren(el('option', { value: '' }, 'all'), ...data.states.map((s) => el('option', { value: s }, s)));
    }
  }

  const LABELS = { id: 'Journal row', fileName: 'File', company: 'Company', messageId: 'Message id', correlationId: 'Correlation id',
    state: 'State', d365State: 'D365 state', size: 'Size (bytes)', attempts: 'Attempts', takenAt: 'Taken',
    enqueuedAt: 'Enqueued', finishedAt: 'Finished', d365Counts: 'D365 counts', error: 'Error', retryAt: 'Next attempt',
    overdueAt: 'Reported overdue', possibleDuplicates: 'Possible duplicates', httpStatus: 'HTTP status',
    externalId: 'External id', sha256: 'SHA-256', source: 'Taken from', archivedAs: 'Archived as', updatedAt: 'Updated',
    reportFile: 'Report file', packageName: 'Package', files: 'Files', dequeuedAt: 'Dequeued',
    deliveredAt: 'Delivered', ackedAt: 'Acked', duplicateOf: 'Duplicate of', deliveredFiles: 'Delivered files',
    quarantinedAs: 'Quarantined as', downloadedAt: 'Downloaded' };

  function renderDetail(d) {
    $('detail').hidden = false;
    $('detail-title').textContent = `#${d.id} ${d.fileName || d.correlationId}`;
    const fields = Object.entries(d).filter(([key, value]) => !['report', 'd365Answer', 'actions'].includes(key)
      && value !== null && value !== '' && !(key === 'possibleDuplicates' && value === 0)
      && !(Array.isArray(value) && value.length === 0));
    $('detail-fields').replaceChildren(...fields.flatMap(([key, value]) => [el('dt', {}, LABELS[key] || key),
      el('dd', {}, key.endsWith('At') ? time(value) : Array.isArray(value) ? value.join(', ') : value)]));
    $('detail-actions').replaceChildren(...messageActions(d));
    $('report').textContent = d.report || '(no report: ' + (d.state === 'FAILED' || d.state === 'PROCESSED'
      ? 'its file is gone from the archive' : 'the message is not finished yet') + ')';
    $('d365-answer').textContent = d.d365Answer || '(none recorded)';
  }

  async function openJob(job) {
    if (view.job !== job.name) {
      view.job = job.name;
      view.page = 1;
      view.message = null;
      $('filter-state').replaceChildren(el('option', { value: '' }, 'all'));
      $('filter-text').value = '';
      $('detail').hidden = true;
    }
    view.kind = job.kind;
    $('job-panel').hidden = false;
    $('job-name').textContent = job.name;
    $('job-location').textContent = job.location || '';
    writeHash();
    refresh();
  }

  async function openMessage(id) {
    view.message = id;
    writeHash();
    try {
      const { body } = await api(`/api/jobs/${encodeURIComponent(view.job)}/messages/${id}`);
      renderDetail(body);
    } catch (e) {
      notice('Cannot open message ' + id + ': ' + e.message, true);
    }
  }

  async function loadMessages() {
    const query = new URLSearchParams({ page: view.page });
    if ($('filter-state').value) query.set('state', $('filter-state').value);
    if ($('filter-text').value.trim()) query.set('q', $('filter-text').value.trim());
    const name = encodeURIComponent(view.job);
    // a text search reads every row of the job: the same search is repeated every 15 s, not at every refresh
    const key = name + '?' + query;
    if (query.has('q') && key === view.searched && Date.now() - view.searchedAt < TEXT_SEARCH_REFRESH_MS) return;
    view.searched = key;
    view.searchedAt = Date.now();
    const [{ body: messages }, { body: actions }] = await Promise.all([
      api(`/api/jobs/${name}/messages?${query}`), api(`/api/jobs/${name}/actions`)]);
    renderMessages(messages);
    $('actions-list').replaceChildren(...actions.map((a) => el('li', {},
      `${time(a.at)} · ${a.actor} · ${a.action}${a.messageRow ? ' #' + a.messageRow : ''} · ${a.outcome}: ${a.detail}`)));
  }

  async function loadHealth() {
    const response = await fetch('/observe/health', { headers: { Accept: 'application/json' } });
    const health = await response.json().catch(() => ({ status: 'UNKNOWN', checks: [] }));
    const down = (health.checks || []).filter((c) => c.status !== 'UP');
    const box = $('health');
    box.className = 'health ' + health.status;
    box.textContent = 'health: ' + health.status + down.map((c) => ` · ${c.name}: ${c.message || c.status}`).join('');
  }

  async function refresh() {
    clearTimeout(view.timer);
    try {
      if (!view.session) {
        view.session = (await api('/api/session')).body;
        $('session').textContent = view.session.login === 'none' ? 'no login (this machine only)'
          : 'logged in as ' + view.session.actor;
      }
      const { body } = await api('/api/jobs');
      renderJobs(body.jobs);
      renderRunners(body.runners);
      $('refreshed').textContent = 'updated ' + new Date().toLocaleTimeString();
      if (view.job) await loadMessages();
      await loadHealth();
    } catch (e) {
      $('refreshed').textContent = 'not updated: ' + e.message;
    }
    view.timer = setTimeout(refresh, REFRESH_MS);
  }

  function writeHash() {
    const hash = new URLSearchParams();
    if (view.job) hash.set('job', view.job);
    if (view.message) hash.set('message', view.message);
    history.replaceState(null, '', '#' + hash);
  }

  async function readHash() {
    const hash = new URLSearchParams(location.hash.slice(1));
    if (!hash.get('job')) return;
    view.job = hash.get('job');
    $('job-panel').hidden = false;
    $('job-name').textContent = view.job;
    if (hash.get('message')) openMessage(Number(hash.get('message')));
  }

  let typing = null;
  $('filter-text').addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => { view.page = 1; refresh(); }, 300);
  });
  $('filters').addEventListener('submit', (event) => event.preventDefault());
  $('filter-state').addEventListener('change', () => { view.page = 1; refresh(); });
  $('page-prev').addEventListener('click', () => { view.page = Math.max(1, view.page - 1); refresh(); });
  $('page-next').addEventListener('click', () => { view.page += 1; refresh(); });
  $('detail-close').addEventListener('click', () => { view.message = null; $('detail').hidden = true; writeHash(); });
  $('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    view.token = $('login-token').value.trim();
    sessionStorage.setItem('ripToken', view.token);
    $('login').hidden = true;
    view.session = null;
    refresh();
  });
  readHash();
  refresh();
}());
