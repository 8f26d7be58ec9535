'use strict';
// The WsLab chat page: speaks docs/chat-protocol.md over a WebSocket to the server that served it.
// Everything the server or another user sends is shown with textContent, never parsed as HTML.
(() => {
  const byId = (id) => document.getElementById(id);
  const ui = {
    status: byId('status'),
    join: byId('join'),
    nick: byId('nick'),
    joinButton: byId('join-button'),
    memberCount: byId('member-count'),
    members: byId('members'),
    scroller: byId('scroller'),
    messages: byId('messages'),
    pending: byId('pending'),
    composer: byId('composer'),
    text: byId('text'),
    send: byId('send'),
  };
  const socketPath = document.documentElement.dataset.wsPath || '/';
  const nickKey = 'wslab.chat.nick';
  const baseTitle = document.title;
  // Reconnects wait a random time up to a ceiling that doubles per failed attempt ("full jitter"), so
  // the phones of a whole class do not all come back in the same instant after a server restart.
  const retryBaseMs = 500;
  const retryCapMs = 15000;
  const retryFloorMs = 100;

  const state = {
    socket: null,
    wanted: false, // the user asked to join; reconnect until they are in
    joined: false,
    nick: '',
    epoch: null, // the room we resume in, and the last message of it we have
    lastSeq: 0,
    attempt: 0,
    retryTimer: 0,
    unread: 0,
    shown: new Set(), // seqs in the message list: a message is never shown twice
    pending: new Map(), // id -> {id, text, item}: sent or waiting, until the server numbers it
  };

  function remembered() {
    try {
      return localStorage.getItem(nickKey) || '';
    } catch {
      return '';
    }
  }

  function remember(nick) {
    try {
      localStorage.setItem(nickKey, nick);
    } catch {
      // Storage may be off (private mode): the page works without it.
    }
  }

  function newId() {
    // crypto.randomUUID needs a secure context; a phone on the LAN over plain HTTP is not in one.
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function setStatus(kind, text) {
    ui.status.dataset.state = kind;
    ui.status.textContent = text;
  }

  function updateControls() {
    ui.joinButton.textContent = state.joined ? 'Rename' : 'Join';
    ui.text.disabled = !state.wanted;
    ui.send.disabled = !state.wanted;
  }

  function updateTitle() {
    document.title = state.unread > 0 ? `(${state.unread}) ${baseTitle}` : baseTitle;
  }

  function nearBottom() {
    const s = ui.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight < 48;
  }

  function keepAtBottom(wasNearBottom) {
    if (wasNearBottom)
      ui.scroller.scrollTop = ui.scroller.scrollHeight;
  }

  function socketUrl() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    // The query carries a ?token= the page was opened with, if the server asks for one.
    return `${scheme}//${location.host}${socketPath}${location.search}`;
  }

  function send(object) {
    if (state.socket && state.socket.readyState === WebSocket.OPEN)
      state.socket.send(JSON.stringify(object));
  }

  function connect() {
    clearTimeout(state.retryTimer);
    state.retryTimer = 0;
    if (state.socket || !state.wanted)
      return;
    setStatus('connecting', 'Connecting…');
    let socket;
    try {
      socket = new WebSocket(socketUrl());
    } catch (e) {
      state.wanted = false;
      setStatus('error', `Cannot connect: ${e.message}`);
      updateControls();
      return;
    }
    state.socket = socket;
    socket.addEventListener('open', () => {
      const join = { type: 'join', v: 1, nick: state.nick };
      if (state.epoch !== null)
        join.resume = { epoch: state.epoch, last_seq: state.lastSeq };
      send(join);
    });
    socket.addEventListener('message', (event) => {
      if (socket !== state.socket || typeof event.data !== 'string')
        return;
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (message && typeof message === 'object')
        handle(message);
    });
    socket.addEventListener('close', () => {
      if (socket !== state.socket)
        return;
      state.socket = null;
      state.joined = false;
      showMembers([]);
      updateControls();
      if (state.wanted)
        scheduleReconnect();
    });
  }

  function scheduleReconnect() {
    const ceiling = Math.min(retryCapMs, retryBaseMs * 2 ** Math.min(state.attempt, 16));
    const delay = Math.max(retryFloorMs, Math.floor(Math.random() * ceiling));
    state.attempt += 1;
    setStatus('offline', `Offline; trying again in ${Math.max(1, Math.ceil(delay / 1000))} s`);
    state.retryTimer = setTimeout(connect, delay);
  }

  function reconnectNow() {
    if (state.wanted && !state.socket && state.retryTimer) {
      state.attempt = 0;
      connect();
    }
  }

  function handle(message) {
    switch (message.type) {
    case 'welcome':
      onWelcome(message);
      break;
    case 'message':
      onMessage(message, true);
      break;
    case 'presence':
      onPresence(message);
      break;
    case 'error':
      onError(message);
      break;
    default:
      break;
    }
  }

  function onWelcome(welcome) {
    const stick = nearBottom();
    state.joined = true;
    state.attempt = 0;
    state.nick = String(welcome.nick);
    if (!welcome.resumed && state.epoch !== null) {
      if (welcome.reset === 'history_trimmed') {
        addNotice('Some messages were missed while this page was offline.');
      } else {
        // Another room (a restarted server without its history) or a history we cannot place: start over.
        ui.messages.replaceChildren();
        state.shown.clear();
        state.lastSeq = 0;
        addNotice('The server started a new conversation; earlier messages are gone.');
      }
    }
    state.epoch = String(welcome.epoch);
    for (const message of Array.isArray(welcome.history) ? welcome.history : [])
      onMessage(message, false);
    if (typeof welcome.last_seq === 'number')
      state.lastSeq = Math.max(state.lastSeq, welcome.last_seq);
    showMembers(welcome.members);
    setStatus('online', `Online as ${state.nick}`);
    updateControls();
    // What the history above did not already confirm was not numbered yet: send it again with its id,
    // so a message the server got just before the connection broke is still not posted twice.
    for (const item of state.pending.values())
      send({ type: 'say', id: item.id, text: item.text });
    keepAtBottom(stick);
  }

  function onMessage(message, live) {
    if (typeof message.seq !== 'number')
      return;
    const stick = nearBottom();
    if (typeof message.id === 'string' && state.pending.has(message.id)) {
      state.pending.get(message.id).item.remove();
      state.pending.delete(message.id);
    }
    state.lastSeq = Math.max(state.lastSeq, message.seq);
    if (state.shown.has(message.seq))
      return;
    state.shown.add(message.seq);
    insertInOrder(messageItem(message), message.seq);
    if (live && document.hidden && message.nick !== state.nick) {
      state.unread += 1;
      updateTitle();
    }
    keepAtBottom(stick);
  }

  function onPresence(presence) {
    if (presence.event === 'rename' && presence.old === state.nick) {
      state.nick = String(presence.nick);
      setStatus('online', `Online as ${state.nick}`);
    }
    showMembers(presence.members);
  }

  function onError(error) {
    const text = String(error.message || error.code || 'error');
    const item = typeof error.id === 'string' ? state.pending.get(error.id) : undefined;
    if (item) {
      // The server will never number this one: say why and let it go.
      state.pending.delete(item.id);
      item.item.classList.add('failed');
      item.item.querySelector('.state').textContent = `not sent: ${text}`;
      return;
    }
    if (!state.joined && state.socket) {
      // The join itself was refused (a bad nickname): stop until the user changes something.
      state.wanted = false;
      const socket = state.socket;
      state.socket = null;
      socket.close(1000);
      showMembers([]);
      updateControls();
    }
    setStatus('error', text);
  }

  function messageItem(message) {
    const item = document.createElement('li');
    item.className = 'message';
    item.dataset.seq = String(message.seq);
    if (message.nick === state.nick)
      item.classList.add('mine');
    const meta = document.createElement('div');
    meta.className = 'meta';
    const nick = document.createElement('span');
    nick.className = 'nick';
    nick.textContent = String(message.nick);
    const time = document.createElement('time');
    const when = new Date(message.time);
    if (!Number.isNaN(when.getTime())) {
      time.dateTime = when.toISOString();
      time.textContent = when.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
      time.title = when.toLocaleString();
    }
    meta.append(nick, time);
    const text = document.createElement('div');
    text.className = 'text';
    text.textContent = String(message.text);
    item.append(meta, text);
    return item;
  }

  function insertInOrder(item, seq) {
    // Messages come in order; only history that fills a gap lands earlier. Notices stay where they are.
    let before = null;
    for (let node = ui.messages.lastElementChild; node; node = node.previousElementSibling) {
      if (!node.dataset.seq)
        continue;
      if (Number(node.dataset.seq) < seq)
        break;
      before = node;
    }
    ui.messages.insertBefore(item, before);
  }

  function addNotice(text) {
    const item = document.createElement('li');
    item.className = 'notice';
    item.textContent = text;
    ui.messages.append(item);
  }

  function showMembers(members) {
    const list = Array.isArray(members) ? members.map(String) : [];
    const items = list.map((nick) => {
      const item = document.createElement('li');
      item.textContent = nick;
      if (state.joined && nick === state.nick)
        item.classList.add('me');
      return item;
    });
    ui.members.replaceChildren(...items);
    ui.memberCount.textContent = list.length === 0 ? 'nobody online' : `${list.length} online:`;
  }

  function post() {
    const text = ui.text.value;
    if (!state.wanted || text.trim() === '')
      return;
    const entry = { id: newId(), text, item: document.createElement('li') };
    entry.item.className = 'message mine pending';
    const meta = document.createElement('div');
    meta.className = 'meta';
    const nick = document.createElement('span');
    nick.className = 'nick';
    nick.textContent = state.nick;
    const status = document.createElement('span');
    status.className = 'state';
    status.textContent = 'sending…';
    meta.append(nick, status);
    const body = document.createElement('div');
    body.className = 'text';
    body.textContent = text;
    entry.item.append(meta, body);
    ui.pending.append(entry.item);
    state.pending.set(entry.id, entry);
    ui.text.value = '';
    if (state.joined)
      send({ type: 'say', id: entry.id, text });
    keepAtBottom(true);
  }

  ui.join.addEventListener('submit', (event) => {
    event.preventDefault();
    const nick = ui.nick.value.trim();
    if (nick === '')
      return;
    remember(nick);
    if (state.joined) {
      if (nick !== state.nick)
        send({ type: 'rename', nick });
      return;
    }
    state.nick = nick;
    state.wanted = true;
    updateControls();
    if (!state.socket) {
      state.attempt = 0;
      connect();
    }
    ui.text.focus();
  });

  ui.composer.addEventListener('submit', (event) => {
    event.preventDefault();
    post();
  });

  ui.text.addEventListener('keydown', (event) => {
    // Enter sends, Shift+Enter starts a new line; an input method still composing keeps its Enter.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      post();
    }
  });

  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) {
      state.unread = 0;
      updateTitle();
      reconnectNow();
    }
  });
  window.addEventListener('online', reconnectNow);

  ui.nick.value = remembered();
  updateControls();
})();
