import type { CommandNode } from '../core/command-tree.js';

/** Each spelling of a node's path, aliases included (`berth get ps`, `berth get containers`). */
function spellings(node: CommandNode, parents: string[][]): string[][] {
  if (node.path.length === 0) return [['berth']];
  return parents.flatMap((p) => node.names.map((n) => [...p, n]));
}

function walk(
  node: CommandNode,
  parents: string[][],
  emit: (node: CommandNode, paths: string[]) => void,
): void {
  const mine = spellings(node, parents);
  emit(
    node,
    mine.map((p) => p.join(' ')),
  );
  for (const sub of node.subcommands) walk(sub, mine, emit);
}

const quote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;
const words = (list: readonly string[]): string => list.map(quote).join(' ');

function subNames(node: CommandNode): string[] {
  return node.subcommands.flatMap((s) => s.names);
}

/**
 * The part bash and zsh share (both read this syntax alike): the tree as a `case` per command,
 * and the walk over the typed words. Values (contexts, containers, hosts) come from
 * `berth __complete`, which asks the server when a session exists.
 */
function posixCore(tree: CommandNode): string {
  const cases: string[] = [];
  walk(tree, [], (node, paths) => {
    cases.push(
      `    ${paths.map(quote).join('|')})`,
      `      __berth_subs=(${words(subNames(node))})`,
      `      __berth_flags=(${words(node.flags)})`,
      `      __berth_vflags=(${words(node.valueFlags)})`,
      `      __berth_args=${node.arguments.length > 0 ? 1 : 0} ;;`,
    );
  });
  return `__berth_node() {
  case "$1" in
${cases.join('\n')}
  esac
}

# __berth_candidates CURRENT-WORD WORDS-BEFORE-IT...: one candidate a line.
__berth_candidates() {
  local cur="$1" cmdpath=berth w skip= IFS=$' \t\n'
  local -a __berth_subs __berth_flags __berth_vflags
  local __berth_args=0
  shift
  __berth_node "$cmdpath"
  for w in "$@"; do
    if [[ -n $skip ]]; then skip=; continue; fi
    case "$w" in
      --*=*) ;;
      -*) if [[ " \${__berth_vflags[*]} " == *" $w "* ]]; then skip=1; fi ;;
      *) if [[ " \${__berth_subs[*]} " == *" $w "* ]]; then
           cmdpath="$cmdpath $w"
           __berth_node "$cmdpath"
         fi ;;
    esac
  done
  if [[ -n $skip ]]; then
    "\${__berth_cmd:-berth}" __complete "$@" "$cur" 2>/dev/null
  elif [[ $cur == -* ]]; then
    printf '%s\\n' "\${__berth_flags[@]}"
  else
    printf '%s\\n' "\${__berth_subs[@]}"
    if [[ $__berth_args == 1 ]]; then
      "\${__berth_cmd:-berth}" __complete "$@" "$cur" 2>/dev/null
    fi
  fi
}
`;
}

export function bashScript(tree: CommandNode): string {
  return `# berth completion for bash. Load it with:  source <(berth completion bash)
# or keep it:  berth completion bash > /etc/bash_completion.d/berth
${posixCore(tree)}
_berth() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" __berth_cmd="\${COMP_WORDS[0]}" IFS=$'\\n'
  COMPREPLY=($(compgen -W "$(__berth_candidates "$cur" "\${COMP_WORDS[@]:1:COMP_CWORD-1}")" -- "$cur"))
}
complete -o default -F _berth berth
`;
}

export function zshScript(tree: CommandNode): string {
  return `#compdef berth
# berth completion for zsh. Load it with:  source <(berth completion zsh)
# or keep it as _berth in a folder of your $fpath.
${posixCore(tree)}
_berth() {
  local __berth_cmd="\${words[1]}"
  local -a candidates
  candidates=("\${(@f)$(__berth_candidates "\${words[CURRENT]}" "\${(@)words[2,CURRENT-1]}")}")
  compadd -- \${candidates:#}
}
if (( ! $+functions[compdef] )); then
  autoload -Uz compinit && compinit -u
fi
compdef _berth berth
`;
}

export function fishScript(tree: CommandNode): string {
  const cases: string[] = [];
  walk(tree, [], (node, paths) => {
    cases.push(
      `    case ${paths.map(quote).join(' ')}`,
      `      set -g __berth_subs ${words(subNames(node))}`,
      `      set -g __berth_flags ${words(node.flags)}`,
      `      set -g __berth_vflags ${words(node.valueFlags)}`,
      `      set -g __berth_args ${node.arguments.length > 0 ? 1 : 0}`,
    );
  });
  return `# berth completion for fish. Load it with:  berth completion fish | source
# or keep it:  berth completion fish > ~/.config/fish/completions/berth.fish
function __berth_node
  switch $argv[1]
${cases.join('\n')}
  end
end

function __berth_candidates
  set -l tokens (commandline -opc)
  set -l cur (commandline -ct)
  set -l typed $tokens[2..-1]
  set -l cmdpath berth
  set -l skip 0
  __berth_node $cmdpath
  for w in $typed
    if test $skip = 1
      set skip 0
      continue
    end
    switch $w
      case '--*=*'
      case '-*'
        if contains -- $w $__berth_vflags
          set skip 1
        end
      case '*'
        if contains -- $w $__berth_subs
          set cmdpath "$cmdpath $w"
          __berth_node $cmdpath
        end
    end
  end
  if test $skip = 1
    $tokens[1] __complete $typed "$cur" 2>/dev/null
  else if string match -q -- '-*' "$cur"
    printf '%s\\n' $__berth_flags
  else
    printf '%s\\n' $__berth_subs
    if test $__berth_args = 1
      $tokens[1] __complete $typed "$cur" 2>/dev/null
    end
  end
end

complete -c berth -f -a '(__berth_candidates)'
`;
}
