#!/usr/bin/env bash
# Builds editors/vscode/policydsl.vsix: npm install (vscode-languageclient, @vscode/vsce), then vsce package.
# Install the result with: code --install-extension editors/vscode/policydsl.vsix
set -euo pipefail
cd "$(dirname "$0")"
npm install --no-audit --no-fund
# The client library is bundled as it is (no bundler): node_modules goes into the package.
npx vsce package --allow-missing-repository --skip-license -o policydsl.vsix
ls -l policydsl.vsix
