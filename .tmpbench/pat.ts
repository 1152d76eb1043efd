const { managers } = await import('../src/catalog/registry.ts');
for (const m of managers) console.log(m.id, String(m.matches).slice(0, 600).replace(/\s+/g,' '), JSON.stringify(m.names));
