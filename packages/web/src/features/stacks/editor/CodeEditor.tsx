import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import {
  bracketMatching,
  HighlightStyle,
  indentOnInput,
  syntaxHighlighting,
} from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState, type Extension } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import type { ComposeIssue } from '@berth/contract';
import { tags } from '@lezer/highlight';
import { useEffect, useRef } from 'react';

/** Token colours for both themes (light-dark() follows the page's colour scheme). */
const highlight = HighlightStyle.define([
  {
    tag: [tags.propertyName, tags.definition(tags.propertyName)],
    color: 'light-dark(#0550ae, #79c0ff)',
  },
  { tag: [tags.string, tags.special(tags.string)], color: 'light-dark(#0a3069, #a5d6ff)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'light-dark(#8a4600, #ffa657)' },
  {
    tag: [tags.comment, tags.lineComment],
    color: 'light-dark(#57606a, #9aa7b4)',
    fontStyle: 'italic',
  },
  { tag: [tags.keyword, tags.typeName, tags.labelName], color: 'light-dark(#8250df, #d2a8ff)' },
  {
    tag: [tags.punctuation, tags.separator, tags.squareBracket, tags.brace],
    color: 'light-dark(#3d4651, #c9d1d9)',
  },
  { tag: tags.invalid, color: 'light-dark(#c62828, #f85149)' },
]);

/** The editor's look from the page's theme variables (they reach into its shadow root). */
const theme = EditorView.theme({
  '&': {
    backgroundColor: 'var(--panel)',
    color: 'var(--text)',
    border: '1px solid var(--line)',
    borderRadius: '8px',
    fontSize: '0.88rem',
    minHeight: '16rem',
    maxHeight: '65vh',
  },
  '&.cm-focused': { outline: '3px solid var(--focus)', outlineOffset: '2px' },
  '.cm-scroller': {
    fontFamily: "ui-monospace, 'DejaVu Sans Mono', 'Liberation Mono', Menlo, monospace",
    overflow: 'auto',
  },
  '.cm-content': { caretColor: 'var(--text)', minHeight: '16rem' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--text)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground':
    { backgroundColor: 'var(--selected)' },
  '.cm-gutters': {
    backgroundColor: 'var(--bg)',
    color: 'var(--muted)',
    borderRight: '1px solid var(--line)',
  },
  '.cm-activeLine': { backgroundColor: 'color-mix(in srgb, var(--hover) 60%, transparent)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--hover)', color: 'var(--text)' },
  '.cm-tooltip': {
    backgroundColor: 'var(--panel)',
    color: 'var(--text)',
    border: '1px solid var(--line)',
  },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--bad)' },
  '.cm-lintRange-error': { textDecoration: 'underline wavy var(--bad)', backgroundImage: 'none' },
});

/** Diagnostics of one file's issues, each at its line (the whole line; column when known). */
function diagnosticsOf(state: EditorState, issues: readonly ComposeIssue[]): Diagnostic[] {
  const doc = state.doc;
  return issues.map((issue) => {
    const line = doc.line(Math.min(Math.max(issue.line ?? 1, 1), doc.lines));
    const from = Math.min(line.from + Math.max((issue.column ?? 1) - 1, 0), line.to);
    return {
      from,
      to: Math.max(line.to, from),
      severity: 'error',
      message: issue.path ? `${issue.path}: ${issue.message}` : issue.message,
    };
  });
}

const isYaml = (path: string): boolean => /\.ya?ml$/i.test(path);

/**
 * One file in CodeMirror 6. The editor lives in a shadow root: there CodeMirror puts its styles
 * in constructed stylesheets (adoptedStyleSheets), which the server's Content-Security-Policy
 * (`style-src 'self'`) allows, where in the document it would write a <style> element the policy
 * refuses (the editor would show unstyled).
 */
export function CodeEditor({
  path,
  value,
  label,
  issues,
  jump,
  readOnly = false,
  onChange,
}: {
  path: string;
  value: string;
  label: string;
  issues: readonly ComposeIssue[];
  /** Put the cursor on this line (a new object each time, to jump again to the same line). */
  jump: { line: number } | null;
  /** Shown, not edited (a viewer). */
  readOnly?: boolean;
  onChange: (text: string) => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;
  // The text to open with: the file as the page holds it when this path is opened.
  const text = useRef(value);
  text.current = value;

  useEffect(() => {
    const element = host.current;
    if (!element) return undefined;
    const shadow = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
    const parent = document.createElement('div');
    shadow.replaceChildren(parent);
    const extensions: Extension[] = [
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightSpecialChars(),
      history(),
      drawSelection(),
      indentOnInput(),
      bracketMatching(),
      highlightActiveLine(),
      syntaxHighlighting(highlight),
      keymap.of([...defaultKeymap, ...historyKeymap]),
      lintGutter(),
      // Long lines wrap: no sideways scrolling on a phone (a scroller a keyboard cannot reach).
      EditorView.lineWrapping,
      theme,
      EditorView.contentAttributes.of({ 'aria-label': label }),
      EditorState.readOnly.of(readOnly),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) changed.current(update.state.doc.toString());
      }),
      ...(isYaml(path) ? [yaml()] : []),
    ];
    const editor = new EditorView({
      root: shadow,
      parent,
      state: EditorState.create({ doc: text.current, extensions }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
  }, [path, label, readOnly]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    editor.dispatch(setDiagnostics(editor.state, diagnosticsOf(editor.state, issues)));
  }, [issues]);

  useEffect(() => {
    const editor = view.current;
    if (!editor || !jump) return;
    const line = editor.state.doc.line(Math.min(Math.max(jump.line, 1), editor.state.doc.lines));
    editor.dispatch({ selection: { anchor: line.from }, scrollIntoView: true });
    editor.focus();
  }, [jump]);

  return <div ref={host} className="code-editor" data-testid="code-editor" data-path={path} />;
}
