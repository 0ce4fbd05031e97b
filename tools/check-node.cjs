// npm itself may run on the system's Node 20; our scripts must run on the Node 24 that the repo
// brings (devDependency `node`). If its install script did not run, fail loudly instead of letting
// everything fall back to an unsupported Node.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  console.error(
    `Flowstack needs Node >= 24 (running ${process.version}).\n` +
      'The repo brings it as the devDependency "node": run `npm install` in the repo root, then use the npm scripts\n' +
      '(they put node_modules/.bin first on PATH).',
  );
  process.exit(1);
}
