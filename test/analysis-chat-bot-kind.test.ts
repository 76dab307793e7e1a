// A chat bot with nothing that declares how to start it (no Dockerfile, Procfile or start script): its code logs the
// client in or starts polling, so it is a worker that runs on its own, not a library (a pyproject with a name) or unknown.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const pyproject = (dependency: string) => `[project]\nname = "helper-bot"\nversion = "1.0.0"\ndependencies = [\n    "${dependency}",\n    "python-dotenv>=1.0",\n]\n`;

const discordBot = (run: string) => snapshot({
  'pyproject.toml': pyproject('discord.py>=2.3'),
  'bot/__main__.py': `import os\n\nimport discord\nfrom discord.ext import commands\n\nbot = commands.Bot(command_prefix="!", intents=discord.Intents.default())\n\n\n@bot.command()\nasync def ping(ctx):\n    await ctx.send("pong")\n\n${run}\n`,
});

describe('a chat bot whose code connects it', () => {
  it('is a worker when it logs in with its token', () => {
    const a = analyzeRepository(discordBot('bot.run(os.environ["DISCORD_TOKEN"])'));
    expect(a.kind).toBe('worker');
    expect(a.evidence.filter((e) => e.fact === 'chat bot').map((e) => e.source)).toEqual(['bot/__main__.py:13']);
  });

  it('is a worker when it starts long polling (requirements.txt, no pyproject)', () => {
    const a = analyzeRepository(snapshot({
      'requirements.txt': 'python-telegram-bot==21.0\n',
      'main.py': 'from telegram.ext import Application, CommandHandler\n\napp = Application.builder().token(TOKEN).build()\napp.add_handler(CommandHandler("start", start))\napp.run_polling()\n',
    }));
    expect(a.kind).toBe('worker');
  });

  it('stays a library when it only extends the client (no login, no polling)', () => {
    const a = analyzeRepository(snapshot({
      'pyproject.toml': pyproject('discord.py>=2.3'),
      'discord_menus/__init__.py': 'from discord.ext import commands\n\n\nclass Menu:\n    async def start(self, ctx):\n        self.message = await ctx.send("menu")\n',
    }));
    expect(a.kind).toBe('library');
  });
});
