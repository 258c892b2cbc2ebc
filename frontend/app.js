// The upload page: reads the API's URL from config.json (generated at deploy), sends the chosen CSV file to
// POST /predict and shows the answer. No framework, no build step.
'use strict';

const MAX_BYTES = 1024 * 1024;

async function loadConfig() {
  const response = await fetch('config.json', { cache: 'no-cache' });
  if (!response.ok) throw new Error('config.json: HTTP ' + response.status);
  const config = await response.json();
  if (!config.apiUrl) throw new Error('config.json has no apiUrl');
  return config;
}

function show(status, text, isError) {
  status.textContent = text;
  status.classList.toggle('error', Boolean(isError));
}

async function predict(apiUrl, file) {
  const response = await fetch(apiUrl, { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: await file.text() });
  const body = await response.text();
  if (!response.ok) {
    let message = body;
    try { message = JSON.parse(body).message ?? body; } catch { /* plain text */ }
    throw new Error('The API answered ' + response.status + ': ' + message);
  }
  return body;
}

document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('upload');
  const input = document.getElementById('file');
  const zone = document.getElementById('drop-zone');
  const status = document.getElementById('status');
  const result = document.getElementById('result');
  const config = loadConfig();

  for (const type of ['dragenter', 'dragover']) zone.addEventListener(type, (e) => { e.preventDefault(); zone.classList.add('dragging'); });
  for (const type of ['dragleave', 'drop']) zone.addEventListener(type, () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    if (e.dataTransfer?.files?.length) input.files = e.dataTransfer.files;
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const file = input.files?.[0];
    result.hidden = true;
    if (!file) return show(status, 'Choose a CSV file first.', true);
    if (file.size > MAX_BYTES) return show(status, 'The file is ' + file.size + ' bytes; the limit is ' + MAX_BYTES + '.', true);
    show(status, 'Sending ' + file.name + '…');
    try {
      const { apiUrl } = await config;
      const answer = await predict(apiUrl, file);
      result.textContent = answer;
      result.hidden = false;
      show(status, 'Predictions for ' + file.name + ':');
    } catch (error) {
      show(status, error.message, true);
    }
  });
});
