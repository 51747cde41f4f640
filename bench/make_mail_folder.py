#!/usr/bin/env python3
"""Make a folder of Django file-based e-mail backend files for the import benchmark:
N messages made by repeating the corpus messages with fresh Message-IDs, written
as the backend writes them (messages separated by a line of 79 '-'), 100 per file.

  make_mail_folder.py CORPUS_EMAILS_DIR N OUT_DIR
"""
import os
import re
import sys
import uuid

src, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
sep = '-' * 79
messages = []
for name in sorted(os.listdir(src)):
    with open(os.path.join(src, name), encoding='utf-8', newline='') as fh:
        for part in fh.read().split('\n' + sep + '\n'):
            if part.strip():
                messages.append(part.strip('\n'))
os.makedirs(out, exist_ok=True)
mid = re.compile(r'^Message-ID: <[^>]*>', re.M)
per_file = 100
for f in range((n + per_file - 1) // per_file):
    with open(os.path.join(out, 'bench-%05d.log' % f), 'w', encoding='utf-8', newline='') as fh:
        for i in range(f * per_file, min(n, (f + 1) * per_file)):
            msg = mid.sub('Message-ID: <%s@bench.example>' % uuid.uuid4().hex, messages[i % len(messages)], count=1)
            fh.write(msg + '\n' + sep + '\n')
