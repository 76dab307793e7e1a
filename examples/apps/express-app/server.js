// A small Express API used by examples/claims/*-express*.yaml. It keeps no state of its own (a fixed catalogue and
// quotes computed per request), so any number of instances, or a function, can serve it.
const express = require('express');

const app = express();
const port = Number(process.env.PORT || 3000);
const catalogue = [
  { id: '1', name: 'widget', price: 4.5 },
  { id: '2', name: 'gadget', price: 12 },
];

app.use(express.json());
app.get('/health', (_req, res) => res.json({ status: 'ok' }));
app.get('/items', (_req, res) => res.json(catalogue));
app.post('/quotes', (req, res) => {
  const lines = Array.isArray(req.body?.lines) ? req.body.lines : [];
  const total = lines.reduce((sum, l) => sum + (catalogue.find((i) => i.id === String(l.id))?.price ?? 0) * (Number(l.quantity) || 0), 0);
  res.status(201).json({ lines, total });
});

app.listen(port, '0.0.0.0', () => console.log(`express-app listening on ${port}`));
