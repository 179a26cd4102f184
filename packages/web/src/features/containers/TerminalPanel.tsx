import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import { client, socketUrl } from '../../api/client.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { Button } from '../../components/ui.js';
import { attachClipboardKeys, copySelection, pasteClipboard } from './TerminalClipboard.js';
import { openWithAdoptedStyles } from './terminal-styles.js';

const TERMINAL_FONTS =
  "ui-monospace, 'DejaVu Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace";

/**
 * An interactive shell in the container (xterm.js). Copy and paste: Ctrl-Shift-C / Ctrl-Shift-V
 * (Cmd-C / Cmd-V on a Mac), or the buttons.
 */
export default function TerminalPanel({ containerId }: { containerId: string }) {
  const host = useCurrentHost();
  const mount = useRef<HTMLDivElement>(null);
  const [shell, setShell] = useState('');
  const [status, setStatus] = useState('connecting');
  const [cli, setCli] = useState<string | null>(null);
  const [clipboard, setClipboard] = useState('');
  const terminal = useRef<Terminal | null>(null);

  useEffect(() => {
    const element = mount.current;
    if (!element) return undefined;
    const term = new Terminal({
      convertEol: false,
      cursorBlink: true,
      // A row a little taller than the font: at device pixel ratio 1 a row exactly as tall as
      // the glyphs cut off what sits at the very bottom of a cell (underscores vanished).
      fontSize: 14,
      lineHeight: 1.2,
      fontFamily: TERMINAL_FONTS,
      allowProposedApi: false,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    const dropStyles = openWithAdoptedStyles(() => term.open(element));
    fit.fit();
    terminal.current = term;
    attachClipboardKeys(term, setClipboard);
    const terminalStream = client.exec.terminal;
    const socket = new WebSocket(
      socketUrl(
        terminalStream.url({
          params: { host, id: containerId },
          query: { cols: term.cols, rows: term.rows, ...(shell ? { shell } : {}) },
        }),
      ),
    );
    socket.binaryType = 'arraybuffer';
    const encoder = new TextEncoder();
    socket.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
      if (typeof event.data === 'string') {
        const message = terminalStream.parse(event.data);
        if (message.type === 'started') {
          setStatus('connected');
          setCli(message.cli);
        } else if (message.type === 'exit') setStatus(`exited with ${message.exitCode ?? '?'}`);
        else setStatus(`error: ${message.message}`);
        return;
      }
      term.write(new Uint8Array(event.data));
    };
    socket.onclose = () => setStatus((s) => (s === 'connected' ? 'closed' : s));
    const input = term.onData((data) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(encoder.encode(data));
    });
    const resize = term.onResize(({ cols, rows }) => {
      if (socket.readyState === WebSocket.OPEN)
        socket.send(terminalStream.encode({ type: 'resize', cols, rows }));
    });
    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(element);
    term.focus();
    return () => {
      observer.disconnect();
      input.dispose();
      resize.dispose();
      socket.close();
      terminal.current = null;
      term.dispose();
      dropStyles();
    };
  }, [containerId, shell, host]);

  const clip = async (action: (term: Terminal) => Promise<string>): Promise<void> => {
    const term = terminal.current;
    if (!term) return;
    setClipboard(await action(term));
    term.focus();
  };

  return (
    <section aria-label="Terminal">
      <div className="toolbar">
        <label>
          Shell{' '}
          <select value={shell} onChange={(e) => setShell(e.target.value)}>
            <option value="">Automatic (bash, else sh)</option>
            <option value="/bin/sh">/bin/sh</option>
            <option value="/bin/bash">/bin/bash</option>
          </select>
        </label>
        <span className="muted" role="status" data-testid="terminal-status">
          {status}
        </span>
        <Button
          className="btn-small"
          title="Ctrl-Shift-C (Cmd-C on a Mac)"
          onClick={() => void clip(copySelection)}
        >
          Copy selection
        </Button>
        <Button
          className="btn-small"
          title="Ctrl-Shift-V (Cmd-V on a Mac)"
          onClick={() => void clip(pasteClipboard)}
        >
          Paste
        </Button>
        <span className="muted" role="status" data-testid="terminal-clipboard">
          {clipboard}
        </span>
      </div>
      <div ref={mount} className="terminal" data-testid="terminal" />
      <CommandBlock command={cli} />
    </section>
  );
}
