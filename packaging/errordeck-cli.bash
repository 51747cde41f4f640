# bash completion for errordeck-cli                           -*- shell-script -*-
# Installed by the .deb as /usr/share/bash-completion/completions/errordeck-cli.
# Commands and options are read from the program's own --help (which never
# opens a database), so this file does not fall behind when a command or an
# option is added.

_errordeck_cli_commands()
{
    "$1" --help 2>/dev/null | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p'
}

_errordeck_cli_options()
{
    # Qt's option lines: "  --db <path>  ..." and "  -h, --help  ...".
    "$1" "$2" --help 2>/dev/null | sed -n 's/^  \(-[a-zA-Z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p'
}

_errordeck_cli_files()
{
    local IFS=$'\n'
    COMPREPLY=($(compgen -f -- "$1"))
    compopt -o filenames 2>/dev/null
}

_errordeck_cli()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local prog=${COMP_WORDS[0]} cmd= npos=0 i
    COMPREPLY=()
    # The command is the first word that is neither an option nor --db's value;
    # npos counts the arguments after it (for config and rules actions).
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        --db) ((i++)) ;;
        -*) ;;
        *) if [[ -z $cmd ]]; then cmd=${COMP_WORDS[i]}; else ((npos++)); fi ;;
        esac
    done
    case $prev in
    --db)
        _errordeck_cli_files "$cur"
        return ;;
    --below | --level)
        COMPREPLY=($(compgen -W 'DEBUG INFO WARNING ERROR CRITICAL' -- "$cur"))
        return ;;
    --kind)
        COMPREPLY=($(compgen -W 'new-issue regression spike level new-release digest' -- "$cur"))
        return ;;
    --period)
        COMPREPLY=($(compgen -W 'daily weekly' -- "$cur"))
        return ;;
    --query | --limit | --interval | --to | --report | --status | --logger | --exception | --message | \
        --referer | --host | --user-agent)
        return ;; # a value of the user's own
    esac
    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W '--db --verbose --help --version' -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$(_errordeck_cli_commands "$prog")" -- "$cur"))
        fi
        return
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_errordeck_cli_options "$prog" "$cmd")" -- "$cur"))
        return
    fi
    case $cmd in
    import | watch) _errordeck_cli_files "$cur" ;;
    help) ((npos == 0)) && COMPREPLY=($(compgen -W "$(_errordeck_cli_commands "$prog")" -- "$cur")) ;;
    config) ((npos == 0)) && COMPREPLY=($(compgen -W 'list get set unset' -- "$cur")) ;;
    rules) ((npos == 0)) && COMPREPLY=($(compgen -W 'list add remove enable disable test apply export' -- "$cur")) ;;
    alerts) ((npos == 0)) && COMPREPLY=($(compgen -W 'list add remove dry-run test digest run outbox' -- "$cur")) ;;
    esac
    return 0
}

complete -F _errordeck_cli errordeck-cli
