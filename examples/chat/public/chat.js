// Salon chat client: no framework. All text goes through textContent, so
// nothing a user types is ever parsed as HTML.
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const stateEl = $('state'), messages = $('messages'), users = $('users');
  const nickEl = $('nick'), roomEl = $('room'), msgEl = $('message'), sendBtn = $('send');
  let ws = null, joined = null, backoff = 500;

  function setState(name, text) {
    stateEl.className = 'state ' + name;
    stateEl.textContent = text;
  }

  function add(kind, text, nick, ts) {
    const li = document.createElement('li');
    li.className = kind;
    if (ts) {
      const t = document.createElement('span');
      t.className = 'time';
      t.textContent = new Date(ts * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
      li.appendChild(t);
    }
    if (nick) {
      const n = document.createElement('span');
      n.className = 'nick';
      n.textContent = nick + ':';
      li.appendChild(n);
    }
    li.appendChild(document.createTextNode(text));
    const atBottom = messages.scrollHeight - messages.scrollTop - messages.clientHeight < 40;
    messages.appendChild(li);
    if (atBottom) messages.scrollTop = messages.scrollHeight;
  }

  function show(m) {
    if (m.type === 'message') add('message', m.text, m.nick, m.ts);
    else if (m.type === 'notice') add('notice', m.text, null, m.ts);
  }

  function setUsers(list) {
    users.replaceChildren(...list.map((u) => {
      const li = document.createElement('li');
      li.textContent = u;
      return li;
    }));
  }

  function composer(on) {
    msgEl.disabled = sendBtn.disabled = !on;
  }

  function connect() {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    ws = new WebSocket(proto + '//' + location.host + '/chat');
    setState('connecting', 'connecting…');
    ws.onopen = () => {
      backoff = 500;
      setState('open', 'connected');
      if (joined) ws.send(JSON.stringify({ type: 'join', nick: joined.nick, room: joined.room }));
    };
    ws.onmessage = (ev) => {
      let m;
      try { m = JSON.parse(ev.data); } catch { return; }
      switch (m.type) {
        case 'joined':
          joined = { nick: m.nick, room: m.room };
          messages.replaceChildren();
          $('room-title').textContent = '#' + m.room;
          m.history.forEach(show);
          setUsers(m.users);
          composer(true);
          msgEl.focus();
          break;
        case 'users': setUsers(m.users); break;
        case 'error': add('error', m.message); break;
        default: show(m);
      }
    };
    ws.onclose = () => {
      composer(false);
      setState('closed', 'reconnecting in ' + Math.round(backoff / 1000) + ' s');
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 10000);
    };
  }

  $('login').addEventListener('submit', (e) => {
    e.preventDefault();
    if (ws && ws.readyState === WebSocket.OPEN)
      ws.send(JSON.stringify({ type: 'join', nick: nickEl.value.trim(), room: roomEl.value.trim() || 'lobby' }));
  });
  $('composer').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = msgEl.value;
    if (!text.trim() || !ws || ws.readyState !== WebSocket.OPEN) return;
    ws.send(JSON.stringify({ type: 'message', text }));
    msgEl.value = '';
  });
  connect();
})();
