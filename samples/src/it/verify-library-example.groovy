// Post-build check of samples/library-example (maven-invoker-plugin, samples/pom.xml): the example's
// main ran and learned XOR. `basedir` is this script's folder; the example ran in its copy under target/it/.
def log = new File(basedir, '../../target/it/library-example/build.log').text
def result = log.readLines().find { it.startsWith('loss ') }
assert result != null : "the example printed no result line; build.log:\n" + log
assert result =~ /accuracy 1[.,]00/ : "the example did not learn XOR: " + result
println "[library-example] " + result
true
