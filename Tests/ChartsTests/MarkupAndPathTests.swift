import Charts
import Testing
import TestSupport

@Suite("Markup and paths")
struct MarkupAndPathTests {
    @Test("text and attributes are escaped")
    func escaping() throws {
        #expect(Markup.escape("A & B < C > D \"E\" 'F'") == "A &amp; B &lt; C &gt; D &quot;E&quot; &#39;F&#39;")
        #expect(Markup.escape("bell\u{07}tab\tline\n") == "bell tab\tline\n")
        let element = Element("text", ["data-name": "x\"><script>alert(1)</script>"], text: "</svg><script>&amp;")
        let rendered = element.render()
        #expect(rendered == "<text data-name=\"x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">&lt;/svg&gt;&lt;script&gt;&amp;amp;</text>")
        let tree = try XMLTree.parse(rendered)
        #expect(tree.attributes["data-name"] == "x\"><script>alert(1)</script>")
        #expect(tree.allText == "</svg><script>&amp;")
    }

    @Test("elements render attributes in order and self-close when empty")
    func rendering() {
        var group = Element("g", ["class": "a", "id": "b"])
        #expect(group.render() == "<g class=\"a\" id=\"b\"/>")
        group.append(Element("rect", ["x": "1"]))
        group.append(text: "t")
        #expect(group.render() == "<g class=\"a\" id=\"b\"><rect x=\"1\"/>t</g>")
        #expect(group.with("class", "c").attribute("class") == "c")
    }

    @Test("coordinates have at most two decimals and no -0")
    func coordinates() {
        #expect(Markup.number(12.5) == "12.5")
        #expect(Markup.number(3) == "3")
        #expect(Markup.number(-0.25) == "-0.25")
        #expect(Markup.number(-0.001) == "0")
        #expect(Markup.number(1.005) == "1" || Markup.number(1.005) == "1.01")
        #expect(Markup.number(7.05) == "7.05")
        #expect(Markup.number(2.1) == "2.1")
        #expect(Markup.number(.nan) == "0")
    }

    @Test("a line is M then L per point; a non-finite point breaks it")
    func lines() {
        #expect(PathBuilder.line([(0, 10), (20, 30.5), (40, 5)]).description == "M0,10L20,30.5L40,5")
        #expect(PathBuilder.line([(0, 10), (20, .nan), (40, 5), (60, 6)]).description == "M0,10M40,5L60,6")
        #expect(PathBuilder.line([]).isEmpty)
    }

    @Test("a band runs along the upper edge and back along the lower edge, closed")
    func band() {
        let path = PathBuilder.band(x: [0, 10, 20], upper: [1, 2, 3], lower: [-1, -2, -3])
        #expect(path.description == "M0,1L10,2L20,3L20,-3L10,-2L0,-1Z")
        let commands = pathCommands(path.description)
        #expect(commands.map(\.command) == ["M", "L", "L", "L", "L", "L", "Z"])
        #expect(PathBuilder.band(x: [0], upper: [1], lower: [0]).isEmpty)
    }

    @Test("a rectangle is a closed path, normalised for negative sizes")
    func rect() {
        #expect(PathBuilder.rect(x: 10, y: 20, width: 30, height: 40).description == "M10,20H40V60H10Z")
        #expect(PathBuilder.rect(x: 40, y: 60, width: -30, height: -40).description == "M10,20H40V60H10Z")
    }

    @Test("the palette is Okabe-Ito and cycles")
    func palette() {
        #expect(Set(Palette.okabeIto) == ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"])
        #expect(Palette.colour(8) == Palette.colour(0))
        #expect(Palette.colour(-1) == Palette.okabeIto.last)
    }
}
