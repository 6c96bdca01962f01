// Salon chat client: no framework. Every piece of text goes into the page
// through textContent or a text node, so nothing a user types is ever parsed
// as HTML. The protocol is described at the top of ../server.php.
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const stateEl = $('state'), errorEl = $('error'), messages = $('messages'), users = $('users');
  const nickEl = $('nick'), roomEl = $('room'), msgEl = $('message'), sendBtn = $('send');
  const MIN_BACKOFF = 500, MAX_BACKOFF = 10000;

  let ws = null;
  let joined = null;   // {nick, room} the server confirmed; rejoined after a reconnect
  let wanted = null;   // {nick, room} asked for while the socket was not open yet
  let rejoining = false; // the join sent after a reconnect is unanswered
  let backoff = MIN_BACKOFF, retryTimer = 0, countdown = 0;

  try { nickEl.value = sessionStorage.getItem('salon.nick') || ''; } catch { /* storage may be off */ }

  function setState(name, text) {
    stateEl.className = 'state ' + name;
    stateEl.textContent = text;
    document.body.dataset.state = name;
  }

  function showError(text) {
    errorEl.textContent = text;
    errorEl.hidden = !text;
  }

  function timeOf(ts) {
    const d = new Date(ts * 1000), now = new Date();
    const opts = { hour: '2-digit', minute: '2-digit' };
    if (d.toDateString() !== now.toDateString()) Object.assign(opts, { month: 'short', day: 'numeric' });
    return d.toLocaleString([], opts);
  }

  function span(cls, text) {
    const s = document.createElement('span');
    s.className = cls;
    s.textContent = text;
    return s;
  }

  // One <li> per message or notice in the messages list.
  function add(m) {
    const li = document.createElement('li');
    if (m.type === 'message') {
      li.className = 'message' + (joined && m.nick === joined.nick ? ' mine' : '');
      li.append(span('time', timeOf(m.ts)), ' ', span('nick', m.nick), ': ', span('text', m.text));
    } else {
      li.className = 'notice';
      li.append(span('time', timeOf(m.ts)), ' ', span('text', m.text));
    }
    const atBottom = messages.scrollHeight - messages.scrollTop - messages.clientHeight < 60;
    messages.appendChild(li);
    if (atBottom) messages.scrollTop = messages.scrollHeight;
  }

  function setUsers(list) {
    users.replaceChildren(...list.map((u) => {
      const li = document.createElement('li');
      li.textContent = u;
      if (joined && u === joined.nick) li.className = 'me';
      return li;
    }));
    $('count').textContent = '(' + list.length + ')';
  }

  function composer(on) {
    msgEl.disabled = sendBtn.disabled = !on;
    msgEl.placeholder = on ? 'say something in #' + joined.room : 'join a room to chat';
  }

  function sendJoin(req) {
    ws.send(JSON.stringify({ type: 'join', nick: req.nick, room: req.room }));
  }

  function onMessage(ev) {
    let m;
    try { m = JSON.parse(ev.data); } catch { return; }
    switch (m.type) {
      case 'joined':
        joined = { nick: m.nick, room: m.room };
        wanted = null;
        rejoining = false;
        try { sessionStorage.setItem('salon.nick', m.nick); } catch { /* storage may be off */ }
        showError('');
        messages.replaceChildren();
        m.history.forEach(add);
        messages.scrollTop = messages.scrollHeight;
        $('room-title').textContent = '#' + m.room;
        document.title = '#' + m.room + ' · Salon chat';
        roomEl.value = m.room;
        setUsers(m.users);
        composer(true);
        if (document.activeElement !== nickEl && document.activeElement !== roomEl) msgEl.focus();
        break;
      case 'message':
      case 'notice':
        if (joined && m.room === joined.room) add(m);
        break;
      case 'users':
        if (joined && m.room === joined.room) setUsers(m.users);
        break;
      case 'error':
        showError(m.message);
        // The rejoin after a reconnect can find the nickname taken (by
        // someone else meanwhile): then this tab is in no room any more.
        if (rejoining) { rejoining = false; joined = null; }
        break;
    }
  }

  function connect() {
    clearInterval(countdown);
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    ws = new WebSocket(proto + '//' + location.host + '/chat');
    setState('connecting', 'connecting…');
    ws.onopen = () => {
      backoff = MIN_BACKOFF;
      setState('open', 'connected');
      const req = wanted || joined;
      rejoining = !wanted && !!joined;
      if (req) sendJoin(req);
    };
    ws.onmessage = onMessage;
    ws.onclose = () => {
      ws.onclose = null;
      composer(false);
      // Full jitter keeps a roomful of tabs from reconnecting in lockstep.
      const wait = Math.round(backoff / 2 + Math.random() * backoff / 2);
      backoff = Math.min(backoff * 2, MAX_BACKOFF);
      let left = Math.ceil(wait / 1000);
      const tick = () => setState('closed', 'offline, retrying in ' + left + ' s');
      tick();
      countdown = setInterval(() => { left = Math.max(0, left - 1); tick(); }, 1000);
      retryTimer = setTimeout(connect, wait);
    };
  }

  // Clicking the state badge while offline retries at once.
  stateEl.addEventListener('click', () => {
    if (ws && ws.readyState === WebSocket.CLOSED) { clearTimeout(retryTimer); connect(); }
  });

  $('login').addEventListener('submit', (e) => {
    e.preventDefault();
    const req = { nick: nickEl.value.trim(), room: roomEl.value.trim() || 'lobby' };
    if (!req.nick) { showError('Pick a nickname first.'); nickEl.focus(); return; }
    if (ws && ws.readyState === WebSocket.OPEN) sendJoin(req);
    else wanted = req;   // sent as soon as the socket opens
  });

  $('composer').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = msgEl.value;
    if (!text.trim() || !joined || !ws || ws.readyState !== WebSocket.OPEN) return;
    ws.send(JSON.stringify({ type: 'message', text }));
    msgEl.value = '';
  });

  connect();
})();
