package dev.bulwark.microprofile;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;

class FallbackMethodsTest {

    interface Defaults {
        default String fromInterface(int a) {
            return "interface";
        }

        String declaredInInterface(int a);
    }

    static class Base<T> {
        protected T generic(T in) {
            return in;
        }

        private String hidden(int a) {
            return "base";
        }
    }

    static class Bean extends Base<String> implements Defaults {
        public String guarded(String in) {
            return in;
        }

        public String guardedInt(int a) {
            return "";
        }

        public List<String> guardedList(List<String> in) {
            return in;
        }

        List<Integer> wrongElement(List<String> in) {
            return null;
        }

        public String varargs(String... in) {
            return "";
        }

        private String varargsFallback(String... in) {
            return "";
        }

        @Override
        public String declaredInInterface(int a) {
            return "implemented";
        }
    }

    abstract static class Declaring {
        public String guarded(int a) {
            return "";
        }
    }

    static class Subclass extends Declaring {
        public String onlyInSubclass(int a) {
            return "";
        }
    }

    private static Method method(String name, Class<?>... types) throws NoSuchMethodException {
        return Bean.class.getMethod(name, types);
    }

    @Test
    void superclassGenericMethodResolvedForTheBeanClass() throws Exception {
        Method found = FallbackMethods.find(Bean.class, method("guarded", String.class), "generic");
        assertThat(found).isNotNull();
        assertThat(found.getDeclaringClass()).isEqualTo(Base.class);
    }

    @Test
    void interfaceDefaultMethodIsFound() throws Exception {
        assertThat(FallbackMethods.find(Bean.class, method("guardedInt", int.class), "fromInterface")).isNotNull();
    }

    @Test
    void abstractInterfaceMethodImplementedByTheBeanIsFound() throws Exception {
        assertThat(FallbackMethods.find(Bean.class, method("guardedInt", int.class), "declaredInInterface")).isNotNull();
    }

    @Test
    void methodOnlyInASubclassOfTheDeclaringClassIsNotAFallback() throws Exception {
        Method guarded = Subclass.class.getMethod("guarded", int.class);
        assertThat(FallbackMethods.find(Subclass.class, guarded, "onlyInSubclass")).isNull();
    }

    @Test
    void superclassPrivateMethodIsNotAFallback() throws Exception {
        assertThat(FallbackMethods.find(Bean.class, method("guardedInt", int.class), "hidden")).isNull();
    }

    @Test
    void typeArgumentsMustMatch() throws Exception {
        assertThat(FallbackMethods.find(Bean.class, method("guardedList", List.class), "wrongElement")).isNull();
    }

    @Test
    void privateVarargsInTheBeanClassMatches() throws Exception {
        assertThat(FallbackMethods.find(Bean.class, method("varargs", String[].class), "varargsFallback")).isNotNull();
    }
}
