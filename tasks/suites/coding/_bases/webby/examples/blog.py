"""A tiny blog: the example application, also used by the tests."""

from webby import App, abort, redirect
from webby.forms import Field, Form
from webby.middleware import SecurityHeaders
from webby.static import mount_static
from webby.templates import Template

app = App()
app.use(SecurityHeaders())
mount_static(app)

POSTS: dict[int, dict] = {1: {"id": 1, "title": "Hello", "body": "First post", "tags": ["intro"]}}

INDEX = Template("""<h1>Posts</h1>
{% if posts %}<ul>{% for p in posts %}<li><a href="/posts/{{ p.id }}">{{ p.title }}</a></li>{% endfor %}</ul>
{% else %}<p>No posts yet.</p>{% endif %}""")
SHOW = Template("<h1>{{ post.title }}</h1><p>{{ post.body }}</p>")


class PostForm(Form):
    title = Field("Title", max_length=80)
    body = Field("Body")


@app.get("/")
def index(request):
    tag = request.args.get("tag")
    posts = [p for p in POSTS.values() if tag is None or tag in p["tags"]]
    return INDEX.render(posts=posts)


@app.get("/posts/<int:post_id>")
def show(request, post_id):
    if post_id not in POSTS:
        abort(404, "no such post")
    return SHOW.render(post=POSTS[post_id])


@app.post("/posts")
def create(request):
    form = PostForm(request.form)
    if not form.validate():
        return {"errors": form.errors}, 422
    new_id = max(POSTS, default=0) + 1
    POSTS[new_id] = {"id": new_id, "tags": [], **form.cleaned}
    return redirect(app.url_for("show", post_id=new_id), 303)


@app.route("/api/posts/<int:post_id>", methods=["GET", "DELETE"])
def api_post(request, post_id):
    post = POSTS.get(post_id) or abort(404, "no such post")
    if request.method == "DELETE":
        del POSTS[post_id]
        return None
    return post
