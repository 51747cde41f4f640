#!/usr/bin/env python3
# Regenerate with: /usr/bin/python3 gen_django404_verdicts.py > django404_verdicts.json
# (Debian python3-django 3.2; tests/tst_ignore404.cpp reads the JSON.)
# Django's own verdicts for a table of 404 requests, to check the C++ port against.
import re, json
from django.conf import settings
settings.configure(APPEND_SLASH=True, IGNORABLE_404_URLS=[], DEBUG=False)
from django.middleware.common import BrokenLinkEmailsMiddleware
m = BrokenLinkEmailsMiddleware(lambda r: None)
pats = [r'\.(php|cgi)$', r'^/phpmyadmin/', r'^/apple-touch-icon.*\.png$', r'^/favicon\.ico$', r'^/robots\.txt$', r'\?.*utm_']
host = 'shop.example.com'
paths = ['/products/5/', '/products/5', '/wp-login.php', '/phpmyadmin/index', '/favicon.ico', '/robots.txt', '/a/?utm_source=x',
         '/apple-touch-icon-120x120.png', '/x/?q=1', '/', '/%E2%9C%93/']
referers = ['', '/products/5', '/products/5/', 'http://shop.example.com/products/5/', 'https://shop.example.com/products/5/',
            'https://shop.example.com/products/5', 'https://shop.example.com/docs/', 'https://shop.example.com/docs/?a=1',
            'https://www.search.example/?q=shop', 'https://blog.partner.org/links', 'http://shop.example.com:8000/products/5/',
            'https://SHOP.example.com/products/5/', '//shop.example.com/products/5/', 'http://evil.com/products/5/',
            ' http://shop.example.com/products/5/', 'http://shop.example.com/x/?q=1', 'http://shop.example.com/x/', 'shop.example.com/products/5/',
            'http://shop.example.com', 'https://shop.example.com?x', 'HTTP://shop.example.com/products/5/', 'http://shop.example.com/products/5/#frag',
            'http://[::1/products/5/']
rows = []
for slash in (True, False):
    for usepats in (True, False):
        settings.APPEND_SLASH = slash
        settings.IGNORABLE_404_URLS = [re.compile(p) for p in pats] if usepats else []
        for p in paths:
            for r in referers:
                try:
                    v = m.is_ignorable_request(None, p, host, r)
                except ValueError:
                    v = 'error'
                rows.append([p, r, slash, usepats, v])
print(json.dumps({'patterns': pats, 'host': host, 'rows': rows}))
