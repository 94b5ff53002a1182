// The zip-code recognizer page: five drawing boxes (pointer events: mouse, pen and touch),
// erase / show / recognize with the keys e, s, r. The server does all preprocessing: the page
// sends each box as a PNG data URL to POST /api/show or /api/recognize.
'use strict';
(() => {
  const BOXES = 5;
  const SIZE = 280;            // drawing resolution of a box, in canvas pixels
  const PEN = 22;              // pen width in canvas pixels: about MNIST's stroke once fitted into 20×20

  const app = document.getElementById('app');
  const status = document.getElementById('status');
  const digitsOut = document.getElementById('digits');
  const seenSection = document.getElementById('seen');
  const pads = [], results = [], seen = [];

  // ---- boxes
  const boxes = document.getElementById('boxes');
  const seenRow = document.getElementById('seen-row');
  for (let i = 0; i < BOXES; i++) {
    const figure = document.createElement('figure');
    figure.className = 'box';
    const label = document.createElement('span');
    label.className = 'number';
    label.textContent = 'Box ' + (i + 1);
    const pad = document.createElement('canvas');
    pad.className = 'pad';
    pad.id = 'pad-' + i;
    pad.width = SIZE;
    pad.height = SIZE;
    pad.setAttribute('aria-label', 'Box ' + (i + 1) + ': draw one digit here');
    const result = document.createElement('figcaption');
    result.className = 'result';
    result.id = 'result-' + i;
    result.innerHTML = '<span class="digit" id="digit-' + i + '"></span><span class="prob" id="prob-' + i + '"></span>';
    figure.append(label, pad, result);
    boxes.append(figure);
    const cell = document.createElement('div');
    cell.className = 'seen-cell';
    const small = document.createElement('canvas');
    small.width = 28;
    small.height = 28;
    small.id = 'seen-' + i;
    small.setAttribute('aria-label', 'Box ' + (i + 1) + ' as the network sees it');
    cell.append(small);
    seenRow.append(cell);
    pads.push(pad);
    results.push(result);
    seen.push(small);
    clearPad(pad);
    attachPen(pad, i);
  }

  function clearPad(pad) {
    const ctx = pad.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, pad.width, pad.height);
  }

  function attachPen(pad, index) {
    const ctx = pad.getContext('2d');
    let last = null;
    let pointer = null;          // the one pointer drawing here: a second finger does not join the stroke
    const at = e => {
      const r = pad.getBoundingClientRect();
      return [(e.clientX - r.left) * pad.width / r.width, (e.clientY - r.top) * pad.height / r.height];
    };
    const style = () => {
      ctx.strokeStyle = ctx.fillStyle = '#000';
      ctx.lineWidth = PEN;
      ctx.lineCap = ctx.lineJoin = 'round';
    };
    pad.addEventListener('pointerdown', e => {
      if (e.button !== 0 || pointer !== null) return;
      e.preventDefault();
      pointer = e.pointerId;
      pad.setPointerCapture(e.pointerId);
      last = at(e);
      style();
      ctx.beginPath();
      ctx.arc(last[0], last[1], PEN / 2, 0, 2 * Math.PI);
      ctx.fill();
      markStale(index);
    });
    pad.addEventListener('pointermove', e => {
      if (e.pointerId !== pointer) return;
      const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [];
      style();
      ctx.beginPath();
      ctx.moveTo(last[0], last[1]);
      for (const ev of (events.length ? events : [e])) {
        last = at(ev);
        ctx.lineTo(last[0], last[1]);
      }
      ctx.stroke();
    });
    const end = e => { if (e.pointerId === pointer) { pointer = null; last = null; } };
    pad.addEventListener('pointerup', end);
    pad.addEventListener('pointercancel', end);
    pad.addEventListener('lostpointercapture', end);
  }

  // ---- results
  function markStale(i) {
    if (results[i].dataset.digit !== undefined) results[i].classList.add('stale');
  }

  function setResult(i, box) {
    const r = results[i];
    r.className = 'result';
    if (box.empty) {
      r.classList.add('empty');
      r.querySelector('.digit').textContent = '·';
      r.querySelector('.prob').textContent = 'empty';
      r.dataset.digit = '';
    } else {
      if (box.probability < 0.5) r.classList.add('low');
      r.querySelector('.digit').textContent = String(box.digit);
      r.querySelector('.prob').textContent = (100 * box.probability).toFixed(1) + ' %';
      r.title = 'probabilities 0–9: ' + box.probabilities.map(p => (100 * p).toFixed(1) + '%').join(', ');
      r.dataset.digit = String(box.digit);
    }
  }

  function drawSeen(i, input) {
    const ctx = seen[i].getContext('2d');
    const image = ctx.createImageData(28, 28);
    for (let p = 0; p < 784; p++) {
      const v = Math.round(255 * input[p]);
      image.data.set([v, v, v, 255], 4 * p);
    }
    ctx.putImageData(image, 0, 0);
  }

  // ---- actions
  function erase() {
    pads.forEach(clearPad);
    results.forEach(r => {
      r.className = 'result';
      r.removeAttribute('title');
      delete r.dataset.digit;
      r.querySelector('.digit').textContent = '';
      r.querySelector('.prob').textContent = '';
    });
    seen.forEach(c => c.getContext('2d').clearRect(0, 0, 28, 28));
    seenSection.hidden = true;
    digitsOut.textContent = '·····';
    say('');
    app.dataset.state = 'idle';
  }

  async function post(path) {
    const body = JSON.stringify({ boxes: pads.map(p => p.toDataURL('image/png')) });
    const response = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.error || ('the server answered ' + response.status));
    return answer;
  }

  let busy = false;
  async function run(path, what, render) {
    if (busy) return;
    busy = true;
    app.dataset.state = 'working';
    document.querySelectorAll('button').forEach(b => { b.disabled = true; });
    say(what + '…');
    try {
      const answer = await post(path);
      render(answer);
      app.dataset.state = 'done';
    } catch (error) {
      say('Could not ' + what.toLowerCase() + ': ' + error.message, true);
      app.dataset.state = 'error';
    } finally {
      document.querySelectorAll('button').forEach(b => { b.disabled = false; });
      busy = false;
    }
  }

  function show() {
    return run('/api/show', 'Preparing the inputs', answer => {
      answer.boxes.forEach((box, i) => drawSeen(i, box.input));
      seenSection.hidden = false;
      say('The five 28×28 inputs are below.');
    });
  }

  function recognize() {
    return run('/api/recognize', 'Recognizing', answer => {
      answer.boxes.forEach((box, i) => { setResult(i, box); drawSeen(i, box.input); });
      digitsOut.textContent = answer.digits.replace(/\?/g, '·');
      const empty = answer.boxes.filter(b => b.empty).length;
      say((empty === 0 ? 'Recognized all five boxes in one batch'
        : 'Recognized ' + (BOXES - empty) + ' boxes; ' + empty + ' empty') + ' (model ' + answer.model + ').');
    });
  }

  function say(text, error) {
    status.textContent = text;
    status.classList.toggle('error', !!error);
  }

  document.getElementById('erase').addEventListener('click', erase);
  document.getElementById('show').addEventListener('click', show);
  document.getElementById('recognize').addEventListener('click', recognize);
  document.addEventListener('keydown', e => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
    const key = e.key.toLowerCase();
    if (key === 'e') erase();
    else if (key === 's') show();
    else if (key === 'r') recognize();
    else return;
    e.preventDefault();
  });

  // ---- the model, for the footer and the note under "show"
  fetch('/api/model').then(r => r.json()).then(m => {
    const accuracy = m.testAccuracy == null ? '' : ' · ' + (100 * m.testAccuracy).toFixed(1)
      + ' % on 2,000 held-out MNIST digits';
    document.getElementById('model').textContent = 'Model ' + m.model + ': ' + m.architecture + ' · ' + m.origin
      + accuracy
      + ' · backend ' + m.backend + ' · Nabla';
    if (m.preprocessing === 'resize') {
      seenSection.querySelector('.note').textContent = 'Each box cut out, resized to 28×28, inverted to white on '
        + 'black, scaled to [0, 1]: the 784 numbers that go into the network.';
    }
  }).catch(() => { document.getElementById('model').textContent = 'Nabla zip-code recognizer'; });
})();
