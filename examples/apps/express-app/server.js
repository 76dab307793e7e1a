// A small Express API used by examples/claims/*-express*.yaml.
const express = require('express');

const app = express();
const port = Number(process.env.PORT || 3000);
const items = new Map();

app.use(express.json());
app.get('/health', (_req, res) => res.json({ status: 'ok' }));
app.get('/items', (_req, res) => res.json([...items.values()]));
app.post('/items', (req, res) => {
  const id = String(items.size + 1);
  items.set(id, { id, ...req.body });
  res.status(201).json(items.get(id));
});

app.listen(port, '0.0.0.0', () => console.log(`express-app listening on ${port}`));
