// A Jest transform: compiles an ES module package (hyparquet, hyparquet-writer) to CommonJS with esbuild, so
// that Jest's CommonJS runtime can require it. Plain CommonJS because Jest loads transforms without transforming
// them. Only the packages named in the jest config's transformIgnorePatterns come here.
const crypto = require('node:crypto');
const esbuild = require('esbuild');

module.exports = {
  process(sourceText, sourcePath) {
    const { code, map } = esbuild.transformSync(sourceText, {
      format: 'cjs',
      loader: 'js',
      target: `node${process.versions.node.split('.')[0]}`,
      sourcefile: sourcePath,
      sourcemap: 'external',
    });
    return { code, map };
  },
  getCacheKey(sourceText, sourcePath) {
    return crypto.createHash('sha256').update(esbuild.version).update('\0').update(process.versions.node).update('\0').update(sourcePath).update('\0').update(sourceText).digest('hex');
  },
};
