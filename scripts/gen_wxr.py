#!/usr/bin/env python3
"""Generate a WordPress export (WXR 1.2) of N posts for benchmarking `kiosque import wordpress`.

Each post has four paragraphs, a [caption] around a resized upload, a featured image, a Yoast
meta description, a category, a tag and a thread of three comments (with the e-mail and IP
addresses WordPress exports, which the import must drop).

usage: gen_wxr.py N OUTPUT.xml
"""
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
path = sys.argv[2] if len(sys.argv) > 2 else 'export.xml'
random.seed(14)
out = open(path, 'w', encoding='utf-8')
out.write('''<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>Grand Journal</title><link>https://journal.example</link><description>Bench</description><language>fr-FR</language>
	<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://journal.example</wp:base_site_url><wp:base_blog_url>https://journal.example</wp:base_blog_url>
''')
for a in range(20):
    out.write(f'<wp:author><wp:author_id>{a+1}</wp:author_id><wp:author_login><![CDATA[auteur{a}]]></wp:author_login><wp:author_email><![CDATA[a{a}@journal.example]]></wp:author_email><wp:author_display_name><![CDATA[Auteur n°{a}]]></wp:author_display_name><wp:author_first_name><![CDATA[]]></wp:author_first_name><wp:author_last_name><![CDATA[]]></wp:author_last_name></wp:author>\n')
words = "le la les un une des réseau fibre téléphone données sécurité écran batterie opérateur numérique logiciel été".split()
def para(n):
    return ' '.join(random.choice(words) for _ in range(n)).capitalize() + '.'
for i in range(n):
    pid = 1000 + i
    body = '\n\n'.join([para(60) for _ in range(4)])
    body += f'\n\n[caption id="attachment_{pid}" align="aligncenter" width="300"]<img src="https://journal.example/wp-content/uploads/2024/05/photo-{pid}-300x200.jpg" alt="Photo {pid}" width="300" height="200" /> Légende {pid}[/caption]\n\n' + para(40)
    comments = ''
    for c in range(3):
        cid = pid * 10 + c
        comments += f'''
		<wp:comment>
			<wp:comment_id>{cid}</wp:comment_id>
			<wp:comment_author><![CDATA[Lecteur {c}]]></wp:comment_author>
			<wp:comment_author_email><![CDATA[lecteur{c}@example.fr]]></wp:comment_author_email>
			<wp:comment_author_url>https://lecteur{c}.example/</wp:comment_author_url>
			<wp:comment_author_IP><![CDATA[203.0.113.{c}]]></wp:comment_author_IP>
			<wp:comment_date><![CDATA[2024-05-02 10:0{c}:00]]></wp:comment_date>
			<wp:comment_date_gmt><![CDATA[2024-05-02 08:0{c}:00]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[{para(25)}]]></wp:comment_content>
			<wp:comment_approved><![CDATA[1]]></wp:comment_approved>
			<wp:comment_type><![CDATA[comment]]></wp:comment_type>
			<wp:comment_parent>{cid - 1 if c else 0}</wp:comment_parent>
			<wp:comment_user_id>0</wp:comment_user_id>
		</wp:comment>'''
    out.write(f'''	<item>
		<title><![CDATA[Article {pid} : {para(6)}]]></title>
		<link>https://journal.example/2024/05/article-{pid}/</link>
		<pubDate>Thu, 02 May 2024 08:00:00 +0000</pubDate>
		<dc:creator><![CDATA[auteur{i % 20}]]></dc:creator>
		<guid isPermaLink="false">https://journal.example/?p={pid}</guid>
		<description></description>
		<content:encoded><![CDATA[{body}]]></content:encoded>
		<excerpt:encoded><![CDATA[{para(20)}]]></excerpt:encoded>
		<wp:post_id>{pid}</wp:post_id>
		<wp:post_date><![CDATA[2024-05-02 10:00:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[2024-05-02 08:00:00]]></wp:post_date_gmt>
		<wp:post_modified><![CDATA[2024-05-03 10:00:00]]></wp:post_modified>
		<wp:post_modified_gmt><![CDATA[2024-05-03 08:00:00]]></wp:post_modified_gmt>
		<wp:comment_status><![CDATA[open]]></wp:comment_status>
		<wp:ping_status><![CDATA[open]]></wp:ping_status>
		<wp:post_name><![CDATA[article-{pid}]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:menu_order>0</wp:menu_order>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		<wp:post_password><![CDATA[]]></wp:post_password>
		<wp:is_sticky>0</wp:is_sticky>
		<category domain="category" nicename="tech"><![CDATA[Tech]]></category>
		<category domain="post_tag" nicename="tag-{i % 300}"><![CDATA[Tag {i % 300}]]></category>
		<wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key><wp:meta_value><![CDATA[{pid + 100000}]]></wp:meta_value></wp:postmeta>
		<wp:postmeta><wp:meta_key><![CDATA[_yoast_wpseo_metadesc]]></wp:meta_key><wp:meta_value><![CDATA[{para(15)}]]></wp:meta_value></wp:postmeta>{comments}
	</item>
''')
out.write('</channel>\n</rss>\n')
